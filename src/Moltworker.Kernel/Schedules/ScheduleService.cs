using Microsoft.Extensions.Options;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// Adds, lists, pauses, resumes and removes schedules for every door (the tools, <c>/schedule</c>, the HTTP API, the CLI) with the same
/// checks: a timing that can be kept, something to run, at most <see cref="SchedulesOptions.MaxPerChat"/> per chat.
/// A refusal is a <see cref="ScheduleRefusedException"/> and stores nothing.
/// </summary>
public sealed class ScheduleService(IScheduleStore store, ScheduleTimingParser parser, ScheduleChanges changes,
    IOptions<SchedulesOptions> options, TimeProvider time)
{
    /// <summary>Longest command or prompt a schedule runs.</summary>
    public const int MaxWhatLength = 4000;

    /// <summary>Adds a schedule from text: <paramref name="when"/> as <see cref="ScheduleTimingParser"/> reads it.</summary>
    public Task<Schedule> AddAsync(ChatAddress chat, string when, string? timeZone, string what, CancellationToken cancellationToken) =>
        AddAsync(chat, parser.Parse(when, timeZone, time.GetUtcNow()), what, cancellationToken);

    /// <summary>Adds a schedule with a timing built field by field; it is checked like one read from text.</summary>
    public async Task<Schedule> AddAsync(ChatAddress chat, ScheduleTiming timing, string what, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        parser.Check(timing, now);
        what = CheckWhat(what);
        var first = ScheduleOccurrences.First(timing, now) ?? throw new ScheduleRefusedException("It never fires.");
        var schedule = new Schedule(ScheduleIds.New(), chat, timing, what) { CreatedAt = now, NextRunAt = first };
        var max = options.Value.MaxPerChat;
        if (!await store.AddAsync(schedule, max, cancellationToken))
            throw new ScheduleRefusedException($"This chat already has {max} schedules (Moltworker:Schedules:MaxPerChat); remove one first.");
        changes.Notify();
        return schedule;
    }

    /// <summary>The chat's schedules (every schedule when <paramref name="chat"/> is null), soonest first.</summary>
    public Task<IReadOnlyList<Schedule>> ListAsync(ChatAddress? chat, CancellationToken cancellationToken) => store.ListAsync(chat, cancellationToken);

    /// <summary>Removes a schedule (only one of <paramref name="chat"/> when given); false when there is no such schedule.</summary>
    public async Task<bool> RemoveAsync(string id, ChatAddress? chat, CancellationToken cancellationToken)
    {
        var removed = await store.RemoveAsync(NormalizeId(id), chat, cancellationToken);
        if (removed) changes.Notify();
        return removed;
    }

    /// <summary>Pauses a schedule (only one of <paramref name="chat"/> when given): it is neither run nor caught up until it
    /// is resumed; a run going on finishes. Pausing a paused schedule changes nothing. Null when there is no such schedule.</summary>
    public async Task<Schedule?> PauseAsync(string id, ChatAddress? chat, CancellationToken cancellationToken)
    {
        id = NormalizeId(id);
        if (await FindAsync(id, chat, cancellationToken) is not { } schedule) return null;
        if (schedule.IsPaused) return schedule;
        if (await store.PauseAsync(id, chat, time.GetUtcNow(), cancellationToken)) changes.Notify();
        return await store.GetAsync(id, cancellationToken);
    }

    /// <summary>Resumes a paused schedule: its next run is counted from now (runs missed while it was paused are not caught
    /// up). A one-off whose time passed while it was paused is refused (<see cref="ScheduleRefusedException"/>). Resuming a
    /// schedule that is not paused changes nothing. Null when there is no such schedule.</summary>
    public async Task<Schedule?> ResumeAsync(string id, ChatAddress? chat, CancellationToken cancellationToken)
    {
        id = NormalizeId(id);
        if (await FindAsync(id, chat, cancellationToken) is not { } schedule) return null;
        if (!schedule.IsPaused) return schedule;
        var now = time.GetUtcNow();
        var next = ScheduleOccurrences.First(schedule.Timing, now);
        if (next is null || next <= now)
        {
            var zone = ScheduleOccurrences.Zone(schedule.Timing.TimeZone);
            throw new ScheduleRefusedException(schedule.Timing.At is { } at
                ? $"Schedule {id} was a one-off due {ScheduleText.Instant(at, zone)}, which passed while it was paused; remove it and add a new one."
                : $"Schedule {id} never fires again.");
        }
        if (await store.ResumeAsync(id, chat, next.Value, cancellationToken)) changes.Notify();
        return await store.GetAsync(id, cancellationToken);
    }

    /// <summary>The schedule <paramref name="id"/>, when it exists and (with <paramref name="chat"/>) belongs to that chat.</summary>
    public async Task<Schedule?> FindAsync(string id, ChatAddress? chat, CancellationToken cancellationToken)
    {
        var schedule = await store.GetAsync(NormalizeId(id), cancellationToken);
        return schedule is not null && (chat is null || BelongsTo(schedule, chat)) ? schedule : null;
    }

    /// <summary>Whether <paramref name="schedule"/> is one of <paramref name="chat"/>'s (channel and chat id; the user does not matter).</summary>
    public static bool BelongsTo(Schedule schedule, ChatAddress chat) =>
        string.Equals(schedule.Address.Channel, chat.Channel, StringComparison.Ordinal) && string.Equals(schedule.Address.ChatId, chat.ChatId, StringComparison.Ordinal);

    private static string NormalizeId(string id) => id.Trim().ToLowerInvariant();

    private static string CheckWhat(string what)
    {
        what = what.Trim();
        if (what.Length == 0) throw new ScheduleRefusedException("Say what to run: a command like /briefing, or a prompt.");
        if (what.Length > MaxWhatLength) throw new ScheduleRefusedException($"What to run is longer than {MaxWhatLength} characters.");
        if (what.StartsWith("/schedule", StringComparison.OrdinalIgnoreCase))
            throw new ScheduleRefusedException("A schedule cannot run /schedule.");
        return what;
    }
}
