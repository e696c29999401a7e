namespace Moltworker.Knowledge.Model;

/// <summary>A store query: keyword text, and a unit-length query vector when embeddings are configured.</summary>
public sealed record SearchRequest(string Text, int Top)
{
    public float[]? Vector { get; init; }

    public SearchFilter Filter { get; init; } = SearchFilter.None;

    /// <summary>Candidates taken from each ranking before fusion.</summary>
    public int Candidates { get; init; } = 50;

    /// <summary>Which rankings to use (benchmarks compare them; normal search uses what is available).</summary>
    public SearchMode Mode { get; init; } = SearchMode.Auto;

    /// <summary>Rank documents by all their evidence and return their passages grouped (null: rank passages alone).
    /// Stores without a document-level index rank passages.</summary>
    public DocumentRankingSettings? Documents { get; init; }

    /// <summary>The RRF constant.</summary>
    public int RrfK { get; init; } = 60;

    /// <summary>When set, a store that measures its stages records them here (benchmarks).</summary>
    public SearchTimings? Timings { get; init; }
}
