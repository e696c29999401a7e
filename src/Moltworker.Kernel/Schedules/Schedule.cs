using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// A schedule of one chat: at <see cref="Timing"/>, <see cref="What"/> runs as if the chat had sent it (a <c>/command</c>
/// or a prompt for the agent), and the answer goes to the chat.
/// </summary>
/// <param name="Id">Short id users type (<c>/schedule remove 3f9a1c2e</c>).</param>
/// <param name="Address">The chat it belongs to (any channel).</param>
/// <param name="Timing">When it runs.</param>
/// <param name="What">The chat command (<c>/briefing</c>) or the prompt that runs.</param>
public sealed record Schedule(string Id, ChatAddress Address, ScheduleTiming Timing, string What)
{
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it is due next. While a run is going on it stays at that run's due time, so a run cut short by a
    /// crash is due again at the next start (and joins its durable task).</summary>
    public DateTimeOffset NextRunAt { get; init; }

    /// <summary>When the last run ended, if it ran.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>The last run's error; null after a run that succeeded.</summary>
    public string? LastError { get; init; }

    /// <summary>The current failure streak was already reported in the chat (a failing run is reported once, not every time).</summary>
    public bool FailureReported { get; init; }

    /// <summary>When it was paused; null while it runs. A paused schedule is neither due nor caught up; resuming it
    /// counts its next run from the moment it resumes.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    public bool IsPaused => PausedAt is not null;
}
