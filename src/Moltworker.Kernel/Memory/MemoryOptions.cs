namespace Moltworker.Kernel.Memory;

/// <summary><c>Moltworker:Memory</c>: long-term memory per user (the <c>remember</c>, <c>recall</c> and <c>forget</c>
/// tools, the memories added to each turn's system prompt, and <c>/memory</c>).</summary>
public sealed class MemoryOptions
{
    public const string Section = "Moltworker:Memory";

    /// <summary>Offer the memory tools and <c>/memory</c>, and add relevant memories to each turn's system prompt. Off:
    /// none of that; stored memories stay in the database untouched.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most tokens (counted with the turn model's tokenizer) the memories added to a turn's system prompt may
    /// take, their heading and framing included. 0 adds none (the tools still work).</summary>
    public int PromptTokens { get; set; } = 400;

    /// <summary>Most memories added to a turn's system prompt: the ones most relevant to the user's message.</summary>
    public int PromptMemories { get; set; } = 5;

    /// <summary>Most memories one user may keep; <c>remember</c> refuses more (the user can <c>/memory forget</c> some).</summary>
    public int MaxPerUser { get; set; } = 1000;

    /// <summary>With an embedding model configured: the least cosine similarity between the message and a memory for the
    /// memory to count as a vector match (memories that share a word with the message match by keywords anyway).</summary>
    public double MinSimilarity { get; set; } = 0.3;

    /// <summary>Longest memory, in characters.</summary>
    public int MaxLength { get; set; } = 1000;
}
