namespace Moltworker.Kernel.Models;

/// <summary>What one model can do and what it costs: an entry of the model catalog.</summary>
public sealed record ModelInfo
{
    public required string Id { get; init; }
    public bool Tools { get; init; } = true;

    /// <summary>The model can return several tool calls in one response that may run concurrently.</summary>
    public bool ParallelCalls { get; init; }

    /// <summary>The model's context window in tokens (prompt and answer together); null when the catalog does not say,
    /// then <c>Moltworker:Context:DefaultContextWindow</c> stands for it.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>The tokenizer encoding the model uses (<c>o200k_base</c>, <c>cl100k_base</c>); null when unknown, then
    /// token counts are the estimate (characters / 4, rounded up).</summary>
    public string? Tokenizer { get; init; }

    /// <summary>The model reads images in its input; images tools return (a <c>browse_url</c> screenshot) are sent to it
    /// only then.</summary>
    public bool Images { get; init; }

    /// <summary>low | medium | high when the model takes a reasoning effort; null when it does not.</summary>
    public string? ReasoningEffort { get; init; }

    public decimal InputPricePerMillion { get; init; }
    public decimal OutputPricePerMillion { get; init; }

    /// <summary>Models tried, in order, when this one keeps failing with 429/5xx/timeouts.</summary>
    public IReadOnlyList<string> Fallbacks { get; init; } = [];

    public decimal Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputPricePerMillion + outputTokens * OutputPricePerMillion) / 1_000_000m;

    public static ModelInfo Unknown(string id) => new() { Id = id };

    /// <summary>Stands for "no model configured".</summary>
    public static readonly ModelInfo None = new() { Id = "(none)", Tools = false };
}
