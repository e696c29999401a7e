using Moltworker.Kernel.Schedules;

namespace Moltworker.Host.Endpoints.Schedules;

/// <summary>A schedule as <c>/api/schedules</c> shows it. <c>kind</c> is <c>cron</c>, <c>interval</c> or <c>once</c>;
/// <c>everySeconds</c> and <c>at</c> are set for the kinds they belong to.</summary>
public sealed record ScheduleJson(
    string Id, string Channel, string ChatId, string? UserId, string Kind, string? Cron, string TimeZone, long? EverySeconds,
    DateTimeOffset? At, string What, DateTimeOffset NextRunAt, DateTimeOffset? LastRunAt, string? LastError)
{
    public static ScheduleJson From(Schedule s) => new(
        s.Id, s.Address.Channel, s.Address.ChatId, s.Address.UserId, s.Timing.Kind.ToString().ToLowerInvariant(), s.Timing.Cron,
        s.Timing.TimeZone, s.Timing.Every is { } every ? (long)every.TotalSeconds : null, s.Timing.At, s.What, s.NextRunAt, s.LastRunAt, s.LastError);
}
