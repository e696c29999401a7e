namespace Moltworker.Kernel.Schedules;

/// <summary>What a finished (or skipped) run leaves in the store.</summary>
/// <param name="NextRunAt">When the schedule is due next; null removes it (a one-off that ran).</param>
/// <param name="RanAt">When the run ended; null for a run that was skipped.</param>
/// <param name="Error">The run's error, null when it succeeded (or was skipped).</param>
/// <param name="FailureReported">Whether the current failure streak has been reported in the chat.</param>
public sealed record ScheduleRunOutcome(DateTimeOffset? NextRunAt, DateTimeOffset? RanAt, string? Error, bool FailureReported);
