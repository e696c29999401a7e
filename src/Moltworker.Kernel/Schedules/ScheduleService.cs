using Microsoft.Extensions.Options;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// Adds, lists and removes schedules for every door (the tools, <c>/schedule</c>, the HTTP API, the CLI) with the same
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
        var removed = await store.RemoveAsync(id.Trim().ToLowerInvariant(), chat, cancellationToken);
        if (removed) changes.Notify();
        return removed;
    }

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
