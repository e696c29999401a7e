using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.WebSearch;

/// <summary>How recent results must be: the tool's <c>freshness</c> argument read into one of four spans.</summary>
internal enum Freshness { Any, Day, Week, Month, Year }

internal static class FreshnessParser
{
    public static Freshness Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "any" => Freshness.Any,
        "day" or "d" or "24h" or "pd" => Freshness.Day,
        "week" or "w" or "7d" or "pw" => Freshness.Week,
        "month" or "m" or "pm" => Freshness.Month,
        "year" or "y" or "py" => Freshness.Year,
        _ => throw new ToolException($"unknown freshness \"{value}\"; use day, week, month or year"),
    };
}
