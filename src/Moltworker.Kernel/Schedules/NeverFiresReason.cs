using System.Globalization;

namespace Moltworker.Kernel.Schedules;

/// <summary>Says why a cron expression that Cronos finds no occurrence for never fires, when the reason is a day of the
/// month that its months do not have ("day 31 of February never comes"); otherwise a plain statement.</summary>
public static class NeverFiresReason
{
    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[..12];
    private static readonly int[] LongestMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    public static string Explain(IReadOnlyList<string> fields)
    {
        if (fields.Count == 5 && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var day) &&
            Months(fields[3]) is { Count: > 0 } months && months.All(m => day > LongestMonth[m - 1]))
            return $"day {day} of {string.Join(" or ", months.Select(m => MonthNames[m - 1]))} never comes";
        return $"no date matches it in the next {ScheduleTimingParser.NeverFiresHorizon.Days / 366} years";
    }

    /// <summary>The months of a plain list field ("2", "4,6", "FEB"); empty for ranges and steps.</summary>
    private static List<int> Months(string field)
    {
        var months = new List<int>();
        foreach (var part in field.Split(','))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 12) months.Add(number);
            else if (Array.FindIndex(MonthNames, n => n.StartsWith(part, StringComparison.OrdinalIgnoreCase) && part.Length == 3) is var index and >= 0) months.Add(index + 1);
            else return [];
        }
        return months;
    }
}
