using System.Text;

namespace Moltworker.Kernel.Schedules;

/// <summary>Schedules as the chat (and the model) read them: id, timing, what runs, next run in the schedule's time zone
/// (or "paused").</summary>
public static class ScheduleListing
{
    public static string Line(Schedule schedule)
    {
        var zone = ScheduleOccurrences.Zone(schedule.Timing.TimeZone);
        var failing = schedule.LastError is null ? "" : " · last run failed";
        var when = schedule.IsPaused ? "paused" : $"next {ScheduleText.Instant(schedule.NextRunAt, zone)}";
        return $"{schedule.Id} · {schedule.Timing} · {schedule.What} · {when}{failing}";
    }

    public static string List(IReadOnlyList<Schedule> schedules)
    {
        if (schedules.Count == 0) return "No schedules in this chat. Add one: /schedule add \"0 8 * * 1-5\" /briefing";
        var text = new StringBuilder($"Schedules ({schedules.Count}):");
        foreach (var schedule in schedules) text.Append("\n- ").Append(Line(schedule));
        return text.ToString();
    }
}
