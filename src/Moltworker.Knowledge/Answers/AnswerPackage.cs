using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Answers;

/// <summary>
/// A knowledge answer as an information package: a short summary, key points each with the passages they rest on,
/// action items when the question asks what to do, and the retrieved passages the numbers refer to.
/// <see cref="RemovedCitations"/> counts markers the model wrote that pointed to no retrieved passage.
/// </summary>
public sealed record AnswerPackage(string Question, string Summary, IReadOnlyList<KeyPoint> KeyPoints, IReadOnlyList<string> ActionItems,
    IReadOnlyList<SearchHit> Passages)
{
    /// <summary>True when a model wrote the answer; false when it is the best passages quoted.</summary>
    public bool FromModel { get; init; }

    public int RemovedCitations { get; init; }

    /// <summary>Why there is no model answer, or how retrieval went (embedding or reranking fallbacks).</summary>
    public string? Note { get; init; }
}

/// <summary>One key point and the passage numbers ([n], 1-based into <see cref="AnswerPackage.Passages"/>) that support it.</summary>
public sealed record KeyPoint(string Text, IReadOnlyList<int> Citations);
