using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// Where schedules live (SQLite or PostgreSQL). A schedule being run is claimed by one scheduler
/// (its owner id); claimed schedules are not due again for that owner until the run completes, so runs never overlap.
/// Claims of another owner (a process that died) do not hold.
/// </summary>
public interface IScheduleStore
{
    /// <summary>Stores <paramref name="schedule"/> unless its chat already has <paramref name="maxPerChat"/> schedules;
    /// false then. Counting and inserting are one transaction.</summary>
    Task<bool> AddAsync(Schedule schedule, int maxPerChat, CancellationToken cancellationToken);

    /// <summary>The schedules of one chat (channel and chat id; the user is ignored), or every schedule when
    /// <paramref name="chat"/> is null, soonest first.</summary>
    Task<IReadOnlyList<Schedule>> ListAsync(ChatAddress? chat, CancellationToken cancellationToken);

    Task<Schedule?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Removes the schedule; when <paramref name="chat"/> is given, only if it belongs to that chat.</summary>
    Task<bool> RemoveAsync(string id, ChatAddress? chat, CancellationToken cancellationToken);

    /// <summary>Pauses the schedule at <paramref name="at"/> (when <paramref name="chat"/> is given, only one of that chat);
    /// false when there is no such schedule or it is paused already. A paused schedule is not due (neither counted by
    /// <see cref="NextDueAsync"/> nor claimed); a run going on finishes.</summary>
    Task<bool> PauseAsync(string id, ChatAddress? chat, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Resumes a paused schedule, due next at <paramref name="nextRunAt"/>; false when there is no such paused
    /// schedule (of <paramref name="chat"/>, when given).</summary>
    Task<bool> ResumeAsync(string id, ChatAddress? chat, DateTimeOffset nextRunAt, CancellationToken cancellationToken);

    /// <summary>The earliest due time among unpaused schedules <paramref name="owner"/> has not claimed; null when there is none.</summary>
    Task<DateTimeOffset?> NextDueAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Claims for <paramref name="owner"/> at most <paramref name="max"/> unpaused schedules due at <paramref name="now"/>
    /// that it has not claimed yet, soonest first, and returns them.</summary>
    Task<IReadOnlyList<Schedule>> ClaimDueAsync(DateTimeOffset now, string owner, int max, CancellationToken cancellationToken);

    /// <summary>Ends a claimed run: stores its outcome and releases the claim (or removes the schedule when
    /// <see cref="ScheduleRunOutcome.NextRunAt"/> is null). Does nothing when the schedule was removed meanwhile.</summary>
    Task CompleteRunAsync(string id, ScheduleRunOutcome outcome, CancellationToken cancellationToken);
}
