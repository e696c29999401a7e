using System.Globalization;
using System.Text;

namespace Moltworker.Channels.Discord.Commands;

/// <summary>Discord's naming rules: names 1–32 characters, lowercase letters, digits, '-' and '_';
/// descriptions 1–100 characters.</summary>
public static class CommandText
{
    public const int MaxNameLength = 32;
    public const int MaxDescriptionLength = 100;

    /// <summary>"getWeather", "Get Weather!" and "get-weather" become "get_weather", "get_weather" and "get-weather".</summary>
    public static string NormalizeName(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        char prev = '\0';
        foreach (var c in name.Trim())
        {
            if (char.IsUpper(c) && (char.IsLower(prev) || char.IsDigit(prev))) sb.Append('_');
            if (char.IsLetterOrDigit(c) || c is '-' or '_') sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
            prev = c;
        }
        var s = sb.ToString().Trim('_', '-');
        while (s.Contains("__", StringComparison.Ordinal)) s = s.Replace("__", "_", StringComparison.Ordinal);
        if (s.Length > MaxNameLength) s = s[..MaxNameLength].TrimEnd('_', '-');
        return s.Length == 0 ? "command" : s;
    }

    /// <summary>Makes <paramref name="name"/> unique among <paramref name="taken"/> by a numeric suffix, staying within 32 characters.</summary>
    public static string Unique(string name, ISet<string> taken)
    {
        if (taken.Add(name)) return name;
        for (var i = 2; ; i++)
        {
            var suffix = "_" + i.ToString(CultureInfo.InvariantCulture);
            var candidate = (name.Length + suffix.Length > MaxNameLength ? name[..(MaxNameLength - suffix.Length)] : name) + suffix;
            if (taken.Add(candidate)) return candidate;
        }
    }

    public static string Description(string? text, string fallback)
    {
        var s = string.IsNullOrWhiteSpace(text) ? fallback : string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Trim(s, MaxDescriptionLength);
    }

    public static string Trim(string s, int max) => s.Length <= max ? s : s[..(max - 1)].TrimEnd() + "…";
}
