using System.Globalization;
using System.Text.RegularExpressions;

namespace Moltworker.Kernel.Schedules;

/// <summary>Durations as people type and read them: <c>90s</c>, <c>20m</c>, <c>1h30m</c>, <c>2 days</c>.</summary>
public static partial class ScheduleText
{
    /// <summary>Reads "20m", "1h 30m", "2 days", "90 seconds" or "00:20:00"; null when it is none of these.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Length == 0) return null;
        if (text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var clock)) return clock;
        var total = TimeSpan.Zero;
        var position = 0;
        foreach (Match part in DurationPart().Matches(text))
        {
            if (part.Index != position) return null;
            position = part.Index + part.Length;
            var amount = double.Parse(part.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += part.Groups["unit"].Value.ToLowerInvariant() switch
            {
                var u when u.StartsWith('s') => TimeSpan.FromSeconds(amount),
                var u when u.StartsWith("mo", StringComparison.Ordinal) => TimeSpan.FromDays(30 * amount),
                var u when u.StartsWith('m') => TimeSpan.FromMinutes(amount),
                var u when u.StartsWith('h') => TimeSpan.FromHours(amount),
                var u when u.StartsWith('d') => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7 * amount),
            };
        }
        return position == text.Length && total > TimeSpan.Zero ? total : null;
    }

    /// <summary>"1d 2h", "20m", "90s".</summary>
    public static string Duration(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0) parts.Add($"{span.Days}d");
        if (span.Hours > 0) parts.Add($"{span.Hours}h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes}m");
        if (span.Seconds > 0 || parts.Count == 0) parts.Add($"{span.Seconds}s");
        return string.Join(' ', parts);
    }

    /// <summary>An instant as the chat reads it: local time in <paramref name="zone"/> with the zone's id.</summary>
    public static string Instant(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + zone.Id;

    [GeneratedRegex(@"\s*(?<n>\d+(\.\d+)?)\s*(?<unit>seconds?|secs?|s|minutes?|mins?|m|months?|mo|hours?|hrs?|h|days?|d|weeks?|w)\b\s*(and\s*|,\s*)?", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPart();
}
