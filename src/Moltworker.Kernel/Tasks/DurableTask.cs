using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>One durable task: a turn of an agent that survives budget hits, restarts and crashes.</summary>
public sealed record DurableTask
{
    public required string Id { get; init; }
    public required ChatAddress Address { get; init; }
    public required string Agent { get; init; }
    public string Phase { get; init; } = "work";
    public DurableTaskStatus Status { get; init; } = DurableTaskStatus.Running;
    public int AutoResumeCount { get; init; }
    public string? LastError { get; init; }
    public string? FinalText { get; init; }
    public int Step { get; init; }

    /// <summary>Times in a row the owner died without the task making progress (set when it is claimed).</summary>
    public int Deaths { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
