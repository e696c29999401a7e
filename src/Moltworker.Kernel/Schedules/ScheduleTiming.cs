using System.Globalization;

namespace Moltworker.Kernel.Schedules;

/// <summary>When a schedule runs. Build one with <see cref="ForCron"/>, <see cref="ForInterval"/> or <see cref="ForOnce"/>;
/// <see cref="ScheduleTimingParser"/> checks the user's text before one is stored.</summary>
public sealed record ScheduleTiming
{
    public ScheduleKind Kind { get; init; }

    /// <summary>The cron expression (<see cref="ScheduleKind.Cron"/> only).</summary>
    public string? Cron { get; init; }

    /// <summary>The IANA time zone the cron expression is read in (<c>UTC</c> unless given).</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The interval (<see cref="ScheduleKind.Interval"/> only).</summary>
    public TimeSpan? Every { get; init; }

    /// <summary>The instant of a one-off run (<see cref="ScheduleKind.Once"/> only).</summary>
    public DateTimeOffset? At { get; init; }

    public static ScheduleTiming ForCron(string cron, string timeZone) => new() { Kind = ScheduleKind.Cron, Cron = cron, TimeZone = timeZone };

    public static ScheduleTiming ForInterval(TimeSpan every) => new() { Kind = ScheduleKind.Interval, Every = every };

    public static ScheduleTiming ForOnce(DateTimeOffset at) => new() { Kind = ScheduleKind.Once, At = at };

    /// <summary>How the timing reads in a list: <c>cron "0 8 * * 1-5" Europe/Oslo</c>, <c>every 20m</c>, <c>once at 2026-12-03 08:00Z</c>.</summary>
    public override string ToString() => Kind switch
    {
        ScheduleKind.Cron => $"cron \"{Cron}\" {TimeZone}",
        ScheduleKind.Interval => $"every {ScheduleText.Duration(Every ?? TimeSpan.Zero)}",
        _ => $"once at {At?.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture)}",
    };
}
