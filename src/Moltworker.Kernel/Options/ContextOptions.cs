namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Context</c>: how much of a conversation fits in one request to the model.</summary>
public sealed class ContextOptions
{
    /// <summary>The context window, in tokens, of a model the catalog gives none (an unknown model).</summary>
    public int DefaultContextWindow { get; set; } = 8_192;

    /// <summary>Tokens of the context window kept free for the answer; at most half the window is reserved.</summary>
    public int AnswerReserveTokens { get; set; } = 2_048;
}
