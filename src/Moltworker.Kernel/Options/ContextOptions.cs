namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Context</c>: how much of a conversation fits in one request to the model.</summary>
public sealed class ContextOptions
{
    /// <summary>The context window, in tokens, of a model the catalog gives none (an unknown model).</summary>
    public int DefaultContextWindow { get; set; } = 8_192;

    /// <summary>Tokens of the context window kept free for the answer; at most half the window is reserved.</summary>
    public int AnswerReserveTokens { get; set; } = 2_048;

    /// <summary>Share of the model's context window above which a turn's request has its older messages summarized by
    /// the model (compaction, see docs/context.md); 0 turns compaction off, leaving only the history window's
    /// truncation.</summary>
    public double CompactAt { get; set; } = 0.75;

    /// <summary>The most recent earlier messages a compaction leaves as they are (more when a tool call and its results
    /// would otherwise be split).</summary>
    public int KeepRecent { get; set; } = 8;
}
