using Moltworker.Kernel.Schedules;
using Telegram.Bot.Types.ReplyMarkups;

namespace Moltworker.Channels.Telegram.Schedules;

/// <summary>What a button under <c>/schedule</c>'s list does to its schedule.</summary>
public enum ScheduleAction { Pause, Resume, Remove }

/// <summary>
/// The inline keyboard under <c>/schedule</c>'s list: one row per schedule, Pause (or Resume when it is paused) and
/// Remove, with callback data <c>sch:&lt;id&gt;:p|r|d</c> (14 bytes for an eight-digit id, well under Telegram's 64).
/// The data only names the schedule and the action: who may press and which chat the schedule belongs to are checked
/// on the server (<see cref="ScheduleCallbacks"/>).
/// </summary>
public static class ScheduleButtons
{
    private const string Prefix = "sch:";

    /// <summary>Longest schedule id accepted in callback data (ours are eight hex digits).</summary>
    public const int MaxIdLength = 32;

    /// <summary>Whether <paramref name="data"/> is a schedule button's (which may still be forged or stale).</summary>
    public static bool IsScheduleButton(string? data) => data is not null && data.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The keyboard for <paramref name="schedules"/>; null when there is none (no keyboard at all).</summary>
    public static InlineKeyboardMarkup? Keyboard(IReadOnlyList<Schedule> schedules) => schedules.Count == 0 ? null : new(
        schedules.Select(s => new[]
        {
            s.IsPaused
                ? InlineKeyboardButton.WithCallbackData($"▶ Resume {s.Id}", Data(s.Id, ScheduleAction.Resume))
                : InlineKeyboardButton.WithCallbackData($"⏸ Pause {s.Id}", Data(s.Id, ScheduleAction.Pause)),
            InlineKeyboardButton.WithCallbackData($"✖ Remove {s.Id}", Data(s.Id, ScheduleAction.Remove)),
        }));

    public static string Data(string scheduleId, ScheduleAction action) => $"{Prefix}{scheduleId}:{action switch
    {
        ScheduleAction.Pause => "p",
        ScheduleAction.Resume => "r",
        _ => "d",
    }}";

    /// <summary>Reads <paramref name="data"/>; false for anything that is not exactly a schedule button's data.</summary>
    public static bool TryParse(string? data, out string scheduleId, out ScheduleAction action)
    {
        scheduleId = "";
        action = ScheduleAction.Pause;
        if (!IsScheduleButton(data)) return false;
        var parts = data![Prefix.Length..].Split(':');
        if (parts.Length != 2 || parts[0].Length is 0 or > MaxIdLength || !parts[0].All(char.IsAsciiHexDigitLower)) return false;
        scheduleId = parts[0];
        switch (parts[1])
        {
            case "p": action = ScheduleAction.Pause; return true;
            case "r": action = ScheduleAction.Resume; return true;
            case "d": action = ScheduleAction.Remove; return true;
            default: return false;
        }
    }
}
