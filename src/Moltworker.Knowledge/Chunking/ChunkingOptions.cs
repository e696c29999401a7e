namespace Moltworker.Knowledge.Chunking;

/// <summary>A chunk holds at most <see cref="MaxTokens"/> tokens (counted by <see cref="Tokens"/>) including the
/// <see cref="OverlapTokens"/> repeated from the previous chunk of the same section.</summary>
public sealed record ChunkingOptions(int MaxTokens = 350, int OverlapTokens = 50)
{
    /// <summary>How tokens are counted; null: the estimate (<see cref="Text.EstimatingTokenCounter"/>).</summary>
    public Text.ITokenCounter? Tokens { get; init; }

    /// <summary>Tokens of new content per chunk.</summary>
    public int ContentTokens => Math.Max(1, MaxTokens - OverlapTokens);

    public ChunkingOptions Validated()
    {
        if (MaxTokens < 8) throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, "Chunk size must be at least 8 tokens.");
        if (OverlapTokens < 0 || OverlapTokens > MaxTokens / 2)
            throw new ArgumentOutOfRangeException(nameof(OverlapTokens), OverlapTokens, "Overlap must be between 0 and half the chunk size.");
        return this;
    }
}
