namespace Moltworker.Plugins.BuiltIn.Time;

/// <summary>Finds a time zone by IANA id ("Europe/Berlin"), Windows id, city ("Berlin", "new york") or UTC offset ("UTC+2").</summary>
internal static class TimeZones
{
    private static readonly Lazy<IReadOnlyList<string>> Ids = new(() =>
        TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/') || id == "UTC").Order(StringComparer.Ordinal).ToList());

    public static IReadOnlyList<string> All => Ids.Value;

    public static TimeZoneInfo? Find(string query)
    {
        var q = query.Trim();
        if (q.Length == 0) return null;
        if (q.Equals("utc", StringComparison.OrdinalIgnoreCase) || q.Equals("gmt", StringComparison.OrdinalIgnoreCase) || q == "Z") return TimeZoneInfo.Utc;
        if (Offset(q) is { } offset) return offset;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(q, out var zone)) return zone;
        var city = q.Replace(' ', '_');
        var match = All.FirstOrDefault(id => id.Equals(city, StringComparison.OrdinalIgnoreCase))
                    ?? All.FirstOrDefault(id => id.EndsWith("/" + city, StringComparison.OrdinalIgnoreCase));
        return match is not null && TimeZoneInfo.TryFindSystemTimeZoneById(match, out zone) ? zone : null;
    }

    private static TimeZoneInfo? Offset(string q)
    {
        var s = q.ToUpperInvariant().Replace(" ", "");
        if (!(s.StartsWith("UTC") || s.StartsWith("GMT")) || s.Length < 5) return null;
        var sign = s[3] switch { '+' => 1, '-' => -1, _ => 0 };
        if (sign == 0) return null;
        var parts = s[4..].Split(':');
        if (!int.TryParse(parts[0], out var hours) || hours > 14) return null;
        var minutes = parts.Length > 1 && int.TryParse(parts[1], out var m) && m is 0 or 15 or 30 or 45 ? m : 0;
        var span = TimeSpan.FromMinutes(sign * (hours * 60 + minutes));
        return TimeZoneInfo.CreateCustomTimeZone($"UTC{(sign > 0 ? "+" : "-")}{hours:00}:{minutes:00}", span, $"UTC{q[3..]}", $"UTC{q[3..]}");
    }
}
