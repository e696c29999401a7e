namespace Moltworker.Knowledge.Model;

/// <summary>
/// How a document-level search weighs its evidence. A document's score is
/// <c>Document·bm25(doc)/max + Passage·best(p) + Spread·min(1, Σ other p)</c>, where a passage's evidence p is
/// <c>its first-stage score/max + Proximity·near/max + Definition·def/max</c> (each term scaled to the best of
/// its list, so 0..1). Results list documents in that order, each with up to <see cref="PassagesPerDocument"/> passages.
/// </summary>
public sealed record DocumentRankingSettings
{
    /// <summary>Weight of the document-level BM25 (title, headings and all text of the document).</summary>
    public double Document { get; init; } = 1.0;

    /// <summary>Weight of the document's best passage.</summary>
    public double Passage { get; init; } = 1.0;

    /// <summary>Weight of the evidence in the document's other passages (summed, capped at 1).</summary>
    public double Spread { get; init; } = 0.2;

    /// <summary>Weight of proximity evidence: neighbouring query terms within a few words of each other.</summary>
    public double Proximity { get; init; } = 0.3;

    /// <summary>Weight of definition evidence for "what is X": a passage saying "X is …" or "X are …".</summary>
    public double Definition { get; init; } = 2.0;

    /// <summary>Passages returned per document (the best first), at least 1.</summary>
    public int PassagesPerDocument { get; init; } = 2;

    /// <summary>Documents taken from the document-level BM25 ranking before fusion.</summary>
    public int DocumentCandidates { get; init; } = 100;

    public static DocumentRankingSettings Default { get; } = new();
}
