using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>One journaled tool call: the intent, and the result once there is one (null: in doubt or in flight).</summary>
public sealed record JournalEntry
{
    public required string Key { get; init; }
    public required string TaskId { get; init; }
    public int Step { get; init; }
    public required string CallId { get; init; }
    public required string Tool { get; init; }
    public string Arguments { get; init; } = "{}";
    public bool SideEffects { get; init; }

    /// <summary>How many times the call was dispatched (more than 1 only after an in-doubt rerun).</summary>
    public int Runs { get; init; } = 1;
    public ToolStatus? Status { get; init; }
    public string? Content { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public bool HasResult => Status is not null;
}
