using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.Tests.Schedules.Support;

namespace Moltworker.Kernel.Tests.Schedules;

public sealed class ScheduleServiceTests
{
    [Fact]
    public async Task A_chat_at_its_limit_is_refused_and_other_chats_are_not_affected()
    {
        await using var h = new SchedulerHarness(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero), new SchedulesOptions { MaxPerChat = 2 });
        await h.Service.AddAsync(SchedulerHarness.Chat, "every 1h", null, "/briefing", default);
        await h.Service.AddAsync(SchedulerHarness.Chat, "every 2h", null, "/news", default);
        var refused = await Assert.ThrowsAsync<ScheduleRefusedException>(() => h.Service.AddAsync(SchedulerHarness.Chat, "every 3h", null, "/crypto", default));
        Assert.Equal("This chat already has 2 schedules (Moltworker:Schedules:MaxPerChat); remove one first.", refused.Message);
        Assert.Equal(2, (await h.Service.ListAsync(SchedulerHarness.Chat, default)).Count);

        var other = SchedulerHarness.Chat with { ChatId = "43" };
        await h.Service.AddAsync(other, "every 1h", null, "/briefing", default);
        Assert.Single(await h.Service.ListAsync(other, default));
    }

    [Fact]
    public async Task A_schedule_is_removed_only_from_its_own_chat()
    {
        await using var h = new SchedulerHarness(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var schedule = await h.Service.AddAsync(SchedulerHarness.Chat, "every 1h", null, "/briefing", default);
        Assert.False(await h.Service.RemoveAsync(schedule.Id, SchedulerHarness.Chat with { ChatId = "43" }, default));
        Assert.True(await h.Service.RemoveAsync(schedule.Id.ToUpperInvariant(), SchedulerHarness.Chat, default));
        Assert.Empty(await h.Service.ListAsync(null, default));
    }

    [Fact]
    public async Task Pause_and_resume_act_only_on_the_chats_own_schedule_and_a_one_off_past_its_time_is_refused()
    {
        var t0 = new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
        await using var h = new SchedulerHarness(t0);
        var once = await h.Service.AddAsync(SchedulerHarness.Chat, "in 20 minutes", null, "Remind me to call Anna", default);
        var other = SchedulerHarness.Chat with { ChatId = "43" };
        Assert.Null(await h.Service.PauseAsync(once.Id, other, default));
        Assert.Null(await h.Service.PauseAsync("00000000", SchedulerHarness.Chat, default));
        Assert.False((await h.Store.GetAsync(once.Id, default))!.IsPaused);

        var paused = (await h.Service.PauseAsync(once.Id.ToUpperInvariant(), SchedulerHarness.Chat, default))!;
        Assert.Equal(t0, paused.PausedAt);
        Assert.Equal(t0, (await h.Service.PauseAsync(once.Id, null, default))!.PausedAt);   // paused already: unchanged
        Assert.Null(await h.Service.ResumeAsync(once.Id, other, default));

        h.Time.Advance(TimeSpan.FromMinutes(30));
        var refused = await Assert.ThrowsAsync<ScheduleRefusedException>(() => h.Service.ResumeAsync(once.Id, SchedulerHarness.Chat, default));
        Assert.Equal($"Schedule {once.Id} was a one-off due Thu 2026-12-03 08:20 UTC, which passed while it was paused; remove it and add a new one.", refused.Message);
        Assert.True((await h.Store.GetAsync(once.Id, default))!.IsPaused);
    }

    [Fact]
    public async Task Nothing_to_run_or_a_schedule_of_schedule_is_refused()
    {
        await using var h = new SchedulerHarness(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal("Say what to run: a command like /briefing, or a prompt.",
            (await Assert.ThrowsAsync<ScheduleRefusedException>(() => h.Service.AddAsync(SchedulerHarness.Chat, "every 1h", null, "  ", default))).Message);
        await Assert.ThrowsAsync<ScheduleRefusedException>(() => h.Service.AddAsync(SchedulerHarness.Chat, "every 1h", null, "/schedule", default));
        Assert.Empty(await h.Service.ListAsync(null, default));
    }
}
