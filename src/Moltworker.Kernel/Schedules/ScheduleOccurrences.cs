using Cronos;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// When a schedule is due: cron expressions and time zones (with their daylight-saving changes) are Cronos's, intervals
/// are counted on a fixed grid from the first run, a one-off is due at its instant.
/// </summary>
public static class ScheduleOccurrences
{
    /// <summary>The first due time of a new schedule created at <paramref name="now"/>.</summary>
    public static DateTimeOffset? First(ScheduleTiming timing, DateTimeOffset now) => timing.Kind switch
    {
        ScheduleKind.Cron => NextCron(timing, now),
        ScheduleKind.Interval => now + timing.Every!.Value,
        _ => timing.At,
    };

    /// <summary>The due time after a run that was due at <paramref name="due"/> and ended at <paramref name="ended"/>: the
    /// first occurrence after the end, so a run longer than the interval delays the next instead of overlapping it.
    /// Null for a one-off (it is done).</summary>
    public static DateTimeOffset? AfterRun(ScheduleTiming timing, DateTimeOffset due, DateTimeOffset ended) => timing.Kind switch
    {
        ScheduleKind.Cron => NextCron(timing, ended > due ? ended : due),
        ScheduleKind.Interval => NextOnGrid(due, timing.Every!.Value, ended),
        _ => null,
    };

    /// <summary>The cron expression's next occurrence strictly after <paramref name="after"/>, in its time zone.</summary>
    public static DateTimeOffset? NextCron(ScheduleTiming timing, DateTimeOffset after) =>
        Expression(timing.Cron!).GetNextOccurrence(after, Zone(timing.TimeZone));

    /// <summary>Parses five cron fields (or a macro such as <c>@daily</c>); throws <see cref="CronFormatException"/>.</summary>
    public static CronExpression Expression(string cron) => CronExpression.Parse(cron.Trim(), CronFormat.Standard);

    /// <summary>The time zone of that IANA (or Windows) id; throws <see cref="TimeZoneNotFoundException"/>.</summary>
    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private static DateTimeOffset NextOnGrid(DateTimeOffset anchor, TimeSpan every, DateTimeOffset after)
    {
        if (after < anchor + every) return anchor + every;
        var steps = (after - anchor).Ticks / every.Ticks + 1;
        return anchor + TimeSpan.FromTicks(every.Ticks * steps);
    }
}
