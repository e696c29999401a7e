using System.Globalization;
using Cronos;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// Reads when a schedule should run, as a person writes it, and refuses what cannot be kept
/// (<see cref="ScheduleRefusedException"/>, saying why):
/// a cron expression (<c>0 8 * * 1-5</c>, <c>@daily</c>), <c>every 20m</c>, <c>in 20 minutes</c>, or an instant
/// (<c>2026-12-24 18:00</c> in the time zone, or with an offset).
/// </summary>
public sealed class ScheduleTimingParser(SchedulesOptions options)
{
    /// <summary>How far ahead a cron expression must fire at least once; Feb 29 on a given weekday comes within 28 years.</summary>
    public static readonly TimeSpan NeverFiresHorizon = TimeSpan.FromDays(366 * 30);

    /// <summary>Reads <paramref name="when"/> in <paramref name="timeZone"/> (null: the configured default) and checks it.</summary>
    public ScheduleTiming Parse(string when, string? timeZone, DateTimeOffset now)
    {
        when = when.Trim().Trim('"').Trim();
        var zoneId = string.IsNullOrWhiteSpace(timeZone) ? options.DefaultTimeZone : timeZone.Trim();
        var zone = FindZone(zoneId);
        if (when.Length == 0) throw new ScheduleRefusedException("Say when: a cron expression (\"0 8 * * 1-5\"), \"every 20m\", \"in 20 minutes\" or a time (\"2026-12-24 18:00\").");

        ScheduleTiming timing;
        if (when.StartsWith("every ", StringComparison.OrdinalIgnoreCase))
            timing = ScheduleTiming.ForInterval(Duration(when[6..], when));
        else if (when.StartsWith("in ", StringComparison.OrdinalIgnoreCase))
            timing = ScheduleTiming.ForOnce(now + Duration(when[3..], when));
        else if (LooksLikeCron(when))
            timing = ScheduleTiming.ForCron(when, zone.Id);
        else if (TryInstant(when, zone, out var at))
            timing = ScheduleTiming.ForOnce(at);
        else
            throw new ScheduleRefusedException($"\"{when}\" is not a time I can read. Write a cron expression with five fields " +
                                               "(\"0 8 * * 1-5\" is 08:00 on weekdays), \"every 20m\", \"in 20 minutes\" or a time like \"2026-12-24 18:00\".");
        Check(timing, now);
        return timing;
    }

    /// <summary>Checks a timing given field by field (the HTTP API): the expression parses, fires, and runs no more often
    /// than <see cref="SchedulesOptions.MinInterval"/>; a one-off is in the future.</summary>
    public void Check(ScheduleTiming timing, DateTimeOffset now)
    {
        switch (timing.Kind)
        {
            case ScheduleKind.Cron:
                CheckCron(timing, now);
                break;
            case ScheduleKind.Interval when timing.Every is not { } every || every < options.MinInterval:
                throw new ScheduleRefusedException($"The interval must be at least {ScheduleText.Duration(options.MinInterval)} (Moltworker:Schedules:MinInterval).");
            case ScheduleKind.Once when timing.At is not { } at || at <= now:
                throw new ScheduleRefusedException("That time has already passed; give a time in the future.");
        }
    }

    private void CheckCron(ScheduleTiming timing, DateTimeOffset now)
    {
        var fields = timing.Cron!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 6) throw new ScheduleRefusedException($"\"{timing.Cron}\" has six fields; seconds are not supported. Use five: minute hour day-of-month month day-of-week.");
        CronExpression expression;
        try { expression = ScheduleOccurrences.Expression(timing.Cron); }
        catch (CronFormatException ex)
        {
            throw new ScheduleRefusedException($"\"{timing.Cron}\" is not a valid cron expression: {ex.Message} " +
                                               "Five fields: minute hour day-of-month month day-of-week, e.g. \"0 8 * * 1-5\".");
        }
        var zone = FindZone(timing.TimeZone);
        var first = expression.GetNextOccurrence(now, zone);
        if (first is null || first > now + NeverFiresHorizon)
            throw new ScheduleRefusedException($"\"{timing.Cron}\" never fires: {NeverFiresReason.Explain(fields)}.");
        var previous = first.Value;
        foreach (var next in expression.GetOccurrences(first.Value, first.Value + TimeSpan.FromDays(8), zone, fromInclusive: false).Take(50))
        {
            if (next - previous < options.MinInterval)
                throw new ScheduleRefusedException($"\"{timing.Cron}\" runs more often than every {ScheduleText.Duration(options.MinInterval)} (Moltworker:Schedules:MinInterval).");
            previous = next;
        }
    }

    private static TimeSpan Duration(string text, string whole) => ScheduleText.ParseDuration(text) ??
        throw new ScheduleRefusedException($"\"{whole}\": \"{text.Trim()}\" is not a duration; write it like 90s, 20m, 1h30m or 2 days.");

    private static bool LooksLikeCron(string text) =>
        text.StartsWith('@') || text.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 5 or 6 } fields &&
        fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or '/' or ',' or '-' or '?' or 'L' or 'W' or '#'));

    private static bool TryInstant(string text, TimeZoneInfo zone, out DateTimeOffset at)
    {
        string[] formats = ["yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            at = new DateTimeOffset(local, zone.GetUtcOffset(local));
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at) &&
               (text.EndsWith('Z') || text.Contains('+') || text.LastIndexOf('-') > 9);
    }

    private static TimeZoneInfo FindZone(string id)
    {
        try { return ScheduleOccurrences.Zone(id); }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ScheduleRefusedException($"Unknown time zone \"{id}\"; use an IANA id like \"Europe/Oslo\" or \"America/New_York\".");
        }
    }
}
