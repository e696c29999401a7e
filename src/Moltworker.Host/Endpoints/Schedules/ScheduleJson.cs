using Moltworker.Kernel.Schedules;

namespace Moltworker.Host.Endpoints.Schedules;

/// <summary>A schedule as <c>/api/schedules</c> shows it. <c>kind</c> is <c>cron</c>, <c>interval</c> or <c>once</c>;
/// <c>everySeconds</c> and <c>at</c> are set for the kinds they belong to. <c>paused</c> says whether it is paused (since
/// <c>pausedAt</c>); the <c>nextRunAt</c> of a paused schedule is the one it had when it was paused.</summary>
public sealed record ScheduleJson(
    string Id, string Channel, string ChatId, string? UserId, string Kind, string? Cron, string TimeZone, long? EverySeconds,
    DateTimeOffset? At, string What, DateTimeOffset NextRunAt, DateTimeOffset? LastRunAt, string? LastError, bool Paused, DateTimeOffset? PausedAt)
{
    public static ScheduleJson From(Schedule s) => new(
        s.Id, s.Address.Channel, s.Address.ChatId, s.Address.UserId, s.Timing.Kind.ToString().ToLowerInvariant(), s.Timing.Cron,
        s.Timing.TimeZone, s.Timing.Every is { } every ? (long)every.TotalSeconds : null, s.Timing.At, s.What, s.NextRunAt, s.LastRunAt, s.LastError,
        s.IsPaused, s.PausedAt);
}
