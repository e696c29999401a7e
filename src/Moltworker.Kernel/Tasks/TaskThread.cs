namespace Moltworker.Kernel.Tasks;

/// <summary>
/// One thread of a durable task, as the thread store keeps it: the task's own (its root: <see cref="Id"/> is the task id,
/// no parent, no tool call) or a delegated child (its id derives from its parent's id, the parent's step and the
/// <c>ask_&lt;agent&gt;</c> call that started it, so a repeated call meets the same thread). The token counts are the
/// thread's own model calls plus those of the threads it delegated to (what its parent added to its own); a thread's
/// own usage is its count minus its children's.
/// </summary>
public sealed record TaskThread
{
    public required string Id { get; init; }
    public required string TaskId { get; init; }

    /// <summary>The thread that delegated (null: the task's root).</summary>
    public string? ParentId { get; init; }

    /// <summary>The parent's <c>ask_&lt;agent&gt;</c> call that started the thread (null: the root).</summary>
    public string? ToolCallId { get; init; }

    public required string Agent { get; init; }

    /// <summary>The catalog model id the thread ran with (for its cost).</summary>
    public string? Model { get; init; }

    public TaskThreadStatus Status { get; init; } = TaskThreadStatus.Running;

    /// <summary>The final answer, once completed: what its parent's call gets back.</summary>
    public string? Answer { get; init; }

    /// <summary>Why it failed, once failed.</summary>
    public string? Error { get; init; }

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    public bool HasEnded => Status != TaskThreadStatus.Running;
}

/// <summary>Running (or interrupted: a later run of the same call resumes it from its checkpoint), Completed (its answer
/// is stored and read back instead of running it again), Failed (its error is stored and given back).</summary>
public enum TaskThreadStatus { Running, Completed, Failed }
