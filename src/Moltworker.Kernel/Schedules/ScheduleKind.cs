namespace Moltworker.Kernel.Schedules;

/// <summary>How a schedule decides when it runs.</summary>
public enum ScheduleKind
{
    /// <summary>A cron expression (five fields, or a macro such as <c>@daily</c>) in a time zone.</summary>
    Cron,

    /// <summary>Every fixed interval, counted from the first run.</summary>
    Interval,

    /// <summary>Once, at a given instant; the schedule is removed after it ran.</summary>
    Once,
}
