namespace Moltworker.Knowledge.Answers;

/// <summary>Text after <see cref="CitationCheck"/>: the passages it cites, and the markers that were removed.</summary>
public sealed record CitedText(string Text, IReadOnlyList<int> Citations, IReadOnlyList<int> Removed);
