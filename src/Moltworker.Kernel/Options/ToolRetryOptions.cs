namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Tools:Retry</c>: retries of transient tool failures (only parallel-safe or idempotent tools).</summary>
public sealed class ToolRetryOptions
{
    /// <summary>Retries after the first try (default 3: waits of 2 s, 4 s, 8 s).</summary>
    public int MaxRetries { get; set; } = 3;
    /// <summary>First backoff; doubles each retry (2 s, 4 s, 8 s); a tool's <c>RetryAfter</c> is honoured instead.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Longest backoff of one retry.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);
}
