namespace Moltworker.Kernel.Transactions;

/// <summary>One model call or tool call attempt, as the transaction log keeps it (arguments already redacted).</summary>
public sealed record TransactionRecord
{
    public long Id { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>"model" or "tool".</summary>
    public required string Kind { get; init; }
    public string? TaskId { get; init; }

    /// <summary>Channel:chat of the task, when known.</summary>
    public string? Chat { get; init; }

    /// <summary>The tool name or the model id.</summary>
    public required string Name { get; init; }
    public string? Arguments { get; init; }
    public string? Summary { get; init; }
    public required string Status { get; init; }
    public int Attempt { get; init; } = 1;
    public double LatencyMs { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public decimal? Cost { get; init; }

    /// <summary>A tool call answered from the tool-result cache (the tool was not called).</summary>
    public bool Cached { get; init; }
}
