using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>Schedules: every timing kept as it was given, the per-chat limit, and claims (a claimed schedule is not due
/// again for its scheduler until the run completes; a dead host's claim does not hold).</summary>
public abstract class ScheduleSuite : StoreSuite
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly ChatAddress Chat = new("telegram", "42", "7");

    private static Schedule Make(string id, ScheduleTiming timing, DateTimeOffset next) =>
        new(id, Chat, timing, "/briefing") { CreatedAt = T0, NextRunAt = next };

    private static async Task DieAsync(IScheduleStore host)
    {
        if (host is IAsyncDisposable disposable) await disposable.DisposeAsync();
    }

    [SkippableFact]
    public async Task Every_kind_of_timing_reads_back_as_it_was_stored_soonest_first_and_per_chat()
    {
        var cron = Make("aaaa0001", ScheduleTiming.ForCron("0 8 * * 1-5", "Europe/Oslo"), T0.AddHours(1));
        var every = Make("aaaa0002", ScheduleTiming.ForInterval(TimeSpan.FromMinutes(20)), T0.AddMinutes(20));
        var once = Make("aaaa0003", ScheduleTiming.ForOnce(T0.AddMinutes(5)), T0.AddMinutes(5)) with { Address = Chat with { UserId = null } };
        var other = Make("aaaa0004", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0.AddHours(3)) with { Address = Chat with { ChatId = "43" } };
        var store = Stores.Schedules();
        foreach (var s in new[] { cron, every, once, other }) Assert.True(await store.AddAsync(s, 20, default));

        Assert.Equal([once, every, cron], await store.ListAsync(Chat, default));
        Assert.Equal([once, every, cron, other], await store.ListAsync(null, default));
        Assert.Equal(cron, await store.GetAsync("aaaa0001", default));
        Assert.Null(await store.GetAsync("missing", default));

        Assert.False(await store.RemoveAsync("aaaa0004", Chat, default));   // not this chat's
        Assert.True(await store.RemoveAsync("aaaa0004", null, default));
        Assert.True(await store.RemoveAsync("aaaa0001", Chat, default));
        Assert.False(await store.RemoveAsync("aaaa0001", Chat, default));
        Assert.Equal([once, every], await store.ListAsync(null, default));
    }

    [SkippableFact]
    public async Task The_per_chat_limit_counts_the_chat_only()
    {
        var store = Stores.Schedules();
        Assert.True(await store.AddAsync(Make("b1", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0), 1, default));
        Assert.False(await store.AddAsync(Make("b2", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0), 1, default));
        Assert.True(await store.AddAsync(Make("b3", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0) with { Address = Chat with { ChatId = "43" } }, 1, default));
        Assert.Equal(["b1", "b3"], (await store.ListAsync(null, default)).Select(s => s.Id));
    }

    [SkippableFact]
    public async Task A_claim_holds_for_its_scheduler_until_the_run_completes_and_a_dead_hosts_claim_is_taken_over()
    {
        var hostA = Stores.Schedules();
        await hostA.AddAsync(Make("c1", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0), 20, default);
        await hostA.AddAsync(Make("c2", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0.AddMinutes(1)), 20, default);
        await hostA.AddAsync(Make("c3", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0.AddHours(2)), 20, default);

        Assert.Equal(["c1"], (await hostA.ClaimDueAsync(T0, "a", 100, default)).Select(s => s.Id));
        Assert.Empty(await hostA.ClaimDueAsync(T0, "a", 100, default));
        Assert.Equal(T0.AddMinutes(1), await hostA.NextDueAsync("a", default));
        Assert.Equal(["c2"], (await hostA.ClaimDueAsync(T0.AddMinutes(5), "a", 1, default)).Select(s => s.Id));
        Assert.Equal(T0.AddHours(2), await hostA.NextDueAsync("a", default));

        await DieAsync(hostA);
        var hostB = Stores.Schedules();
        Assert.Equal(T0, await hostB.NextDueAsync("b", default));
        Assert.Equal(["c1", "c2"], (await hostB.ClaimDueAsync(T0.AddMinutes(5), "b", 100, default)).Select(s => s.Id));

        await hostB.CompleteRunAsync("c1", new ScheduleRunOutcome(T0.AddHours(1), T0.AddMinutes(6), "boom", FailureReported: true), default);
        var c1 = (await hostB.GetAsync("c1", default))!;
        Assert.Equal((T0.AddHours(1), T0.AddMinutes(6), "boom", true), (c1.NextRunAt, c1.LastRunAt, c1.LastError, c1.FailureReported));
        Assert.Equal(T0.AddHours(1), await hostB.NextDueAsync("b", default));

        await hostB.CompleteRunAsync("c1", new ScheduleRunOutcome(T0.AddHours(2), null, null, false), default);   // skipped: last run kept
        Assert.Equal(T0.AddMinutes(6), (await hostB.GetAsync("c1", default))!.LastRunAt);
        await hostB.CompleteRunAsync("c2", new ScheduleRunOutcome(null, T0, null, false), default);
        Assert.Null(await hostB.GetAsync("c2", default));
        await hostB.CompleteRunAsync("gone", new ScheduleRunOutcome(T0, T0, null, false), default);   // removed meanwhile: nothing happens
        Assert.Equal(T0.AddHours(2), await hostB.NextDueAsync("b", default));
    }

    [SkippableFact]
    public async Task A_paused_schedule_is_neither_due_nor_claimed_and_resumes_at_the_time_given()
    {
        var store = Stores.Schedules();
        await store.AddAsync(Make("p1", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0), 20, default);
        await store.AddAsync(Make("p2", ScheduleTiming.ForInterval(TimeSpan.FromHours(1)), T0.AddMinutes(30)), 20, default);
        var other = Chat with { ChatId = "43" };

        Assert.False(await store.PauseAsync("p1", other, T0, default));   // not that chat's
        Assert.False(await store.PauseAsync("missing", null, T0, default));
        Assert.True(await store.PauseAsync("p1", Chat, T0.AddMinutes(-5), default));
        Assert.False(await store.PauseAsync("p1", Chat, T0, default));    // already paused
        Assert.Equal(T0.AddMinutes(-5), (await store.GetAsync("p1", default))!.PausedAt);
        Assert.True((await store.ListAsync(Chat, default)).Single(s => s.Id == "p1").IsPaused);

        Assert.Equal(T0.AddMinutes(30), await store.NextDueAsync("a", default));
        Assert.Empty(await store.ClaimDueAsync(T0.AddMinutes(10), "a", 100, default));
        Assert.Equal(["p2"], (await store.ClaimDueAsync(T0.AddHours(5), "a", 100, default)).Select(s => s.Id));

        Assert.False(await store.ResumeAsync("p2", Chat, T0, default));   // not paused
        Assert.False(await store.ResumeAsync("p1", other, T0, default));
        Assert.True(await store.ResumeAsync("p1", Chat, T0.AddHours(6), default));
        var resumed = (await store.GetAsync("p1", default))!;
        Assert.Equal((null, T0.AddHours(6)), (resumed.PausedAt, resumed.NextRunAt));
        Assert.Equal(T0.AddHours(6), await store.NextDueAsync("a", default));
        Assert.Equal(["p1"], (await store.ClaimDueAsync(T0.AddHours(6), "a", 100, default)).Select(s => s.Id));

        // Paused while its run goes on: the run completes, and the schedule stays paused.
        Assert.True(await store.PauseAsync("p1", null, T0.AddHours(6), default));
        await store.CompleteRunAsync("p1", new ScheduleRunOutcome(T0.AddHours(7), T0.AddHours(6), null, false), default);
        Assert.True((await store.GetAsync("p1", default))!.IsPaused);
        Assert.DoesNotContain("p1", (await store.ClaimDueAsync(T0.AddHours(8), "b", 100, default)).Select(s => s.Id));
    }
}
