using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.Tests.Schedules.Support;

namespace Moltworker.Kernel.Tests.Schedules;

/// <summary>The scheduler on a fake clock over a real SQLite store: it fires at the due time, never overlaps runs of one
/// schedule, and after a restart catches a missed run up once (within the window) or skips it with a note.</summary>
public sealed class SchedulerTests
{
    private static readonly DateTimeOffset Monday0600Utc = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_cron_schedule_fires_at_its_time_and_its_answer_goes_to_the_chat()
    {
        await using var h = new SchedulerHarness(Monday0600Utc);
        await h.StartHostAsync();
        var schedule = await h.Service.AddAsync(SchedulerHarness.Chat, "0 8 * * 1-5", "Europe/Oslo", "/briefing", default);
        Assert.Equal(Monday0600Utc.AddHours(1), schedule.NextRunAt);   // 08:00 in Oslo is 07:00 UTC in winter

        await h.AdvanceAsync(TimeSpan.FromMinutes(59));
        await h.AsleepAsync();
        Assert.Empty(h.ChatService.Messages);

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("ran: /briefing", await h.Delivery.NextAsync());
        var fired = Assert.Single(h.Fired);
        Assert.Equal(schedule.Id, fired.ScheduleId);
        Assert.Equal(Monday0600Utc.AddHours(1), fired.DueAt);
        Assert.Equal(SchedulerHarness.Chat, Assert.Single(h.ChatService.Messages).Address);

        // The run stores its outcome after it delivered the answer, and the loop may already sleep (planning without
        // the claimed schedule): wait for that write itself, not for the loop's sleep.
        using var sanity = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Schedule? stored;
        while ((stored = await h.Store.GetAsync(schedule.Id, default))?.LastRunAt is null)
        {
            sanity.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
        Assert.Equal(Monday0600Utc.AddDays(1).AddHours(1), stored!.NextRunAt);   // Tuesday 08:00 Oslo
        Assert.Equal(Monday0600Utc.AddHours(1), stored.LastRunAt);
    }

    [Fact]
    public async Task A_run_longer_than_the_interval_delays_the_next_run_instead_of_overlapping_it()
    {
        await using var h = new SchedulerHarness(Monday0600Utc);
        h.ChatService.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.StartHostAsync();
        var schedule = await h.Service.AddAsync(SchedulerHarness.Chat, "every 1m", null, "check the queue", default);

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await h.ChatService.Started.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await h.AdvanceAsync(TimeSpan.FromSeconds(90));   // the second run's time passes while the first still runs
        await h.AsleepAsync();
        Assert.Single(h.ChatService.Messages);

        h.ChatService.Gate.SetResult();   // the first run ends at 06:02:30
        h.ChatService.Gate = null;
        Assert.Equal("ran: check the queue", await h.Delivery.NextAsync());
        await h.RunsDoneAsync();
        Assert.Equal(Monday0600Utc.AddMinutes(3), (await h.Store.GetAsync(schedule.Id, default))!.NextRunAt);
        Assert.Single(h.ChatService.Messages);

        await h.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("ran: check the queue", await h.Delivery.NextAsync());
        Assert.Equal(2, h.ChatService.Messages.Count);
        Assert.Equal([Monday0600Utc.AddMinutes(1), Monday0600Utc.AddMinutes(3)], h.Fired.Select(f => f.DueAt));
    }

    [Fact]
    public async Task A_paused_schedule_does_not_run_nor_catch_up_and_resumed_counts_its_next_run_from_then()
    {
        await using var h = new SchedulerHarness(Monday0600Utc);
        await h.StartHostAsync();
        var schedule = await h.Service.AddAsync(SchedulerHarness.Chat, "every 10m", null, "/briefing", default);
        Assert.True((await h.Service.PauseAsync(schedule.Id, SchedulerHarness.Chat, default))!.IsPaused);

        await h.AdvanceAsync(TimeSpan.FromMinutes(25));   // 06:10 and 06:20 pass while it is paused
        await h.AsleepAsync();
        Assert.Empty(h.ChatService.Messages);

        var resumed = (await h.Service.ResumeAsync(schedule.Id, SchedulerHarness.Chat, default))!;
        Assert.Equal((false, Monday0600Utc.AddMinutes(35)), (resumed.IsPaused, resumed.NextRunAt));
        await h.AdvanceAsync(TimeSpan.FromMinutes(9));
        await h.AsleepAsync();
        Assert.Empty(h.ChatService.Messages);

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("ran: /briefing", await h.Delivery.NextAsync());
        Assert.Equal([Monday0600Utc.AddMinutes(35)], h.Fired.Select(f => f.DueAt));
    }

    [Fact]
    public async Task A_host_restarted_within_the_catch_up_window_runs_the_missed_runs_once()
    {
        await using var h = new SchedulerHarness(Monday0600Utc);
        await h.StartHostAsync();
        var schedule = await h.Service.AddAsync(SchedulerHarness.Chat, "every 10m", null, "/briefing", default);
        await h.StopHostAsync();

        h.Time.Advance(TimeSpan.FromMinutes(35));   // down across three due times (06:10, 06:20, 06:30)
        await h.StartHostAsync();

        Assert.Equal("ran: /briefing", await h.Delivery.NextAsync());
        await h.RunsDoneAsync();
        Assert.Single(h.ChatService.Messages);
        Assert.Equal(Monday0600Utc.AddMinutes(10), Assert.Single(h.Fired).DueAt);
        Assert.Equal(Monday0600Utc.AddMinutes(40), (await h.Store.GetAsync(schedule.Id, default))!.NextRunAt);
    }

    [Fact]
    public async Task A_host_restarted_after_the_catch_up_window_skips_the_run_with_a_note()
    {
        await using var h = new SchedulerHarness(Monday0600Utc);
        await h.StartHostAsync();
        var schedule = await h.Service.AddAsync(SchedulerHarness.Chat, "0 8 * * 1-5", "Europe/Oslo", "/briefing", default);
        await h.StopHostAsync();

        h.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));   // due 07:00 UTC, back at 08:01 UTC: 61 minutes late
        await h.StartHostAsync();

        var note = await h.Delivery.NextAsync();
        Assert.StartsWith($"Skipped schedule {schedule.Id} (/briefing)", note);
        Assert.Contains("1h 1m late", note);
        Assert.Contains("Next run: Tue 2026-12-08 08:00 Europe/Oslo", note);
        await h.RunsDoneAsync();
        Assert.Empty(h.ChatService.Messages);
        Assert.Empty(h.Fired);
        Assert.Equal(Monday0600Utc.AddDays(1).AddHours(1), (await h.Store.GetAsync(schedule.Id, default))!.NextRunAt);
    }

    [Fact]
    public async Task A_run_cut_short_by_a_stop_runs_again_at_the_next_start_as_the_same_message()
    {
        await using var h = new SchedulerHarness(Monday0600Utc);
        h.ChatService.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.StartHostAsync();
        await h.Service.AddAsync(SchedulerHarness.Chat, "in 5 minutes", null, "Remind me to call Anna", default);
        await h.AdvanceAsync(TimeSpan.FromMinutes(5));
        var first = await h.ChatService.Started.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await h.StopHostAsync();   // the run is cancelled: the schedule stays due

        h.ChatService.Gate = null;
        await h.StartHostAsync();
        Assert.Equal("ran: Remind me to call Anna", await h.Delivery.NextAsync());
        var again = h.ChatService.Messages.Last();
        Assert.Equal(first.MessageId, again.MessageId);   // joins the durable task of the first attempt
        await h.RunsDoneAsync();
        Assert.Empty(await h.Store.ListAsync(null, default));   // a one-off is gone once it ran
    }

    [Fact]
    public async Task A_failing_schedule_is_reported_in_the_chat_once_until_it_succeeds_again()
    {
        await using var h = new SchedulerHarness(Monday0600Utc);
        h.ChatService.Fail = true;
        await h.StartHostAsync();
        var schedule = await h.Service.AddAsync(SchedulerHarness.Chat, "every 1m", null, "/weather Oslo", default);

        for (var i = 0; i < 3; i++)
        {
            await h.AdvanceAsync(TimeSpan.FromMinutes(1));
            await h.ChatService.Started.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            while ((await h.Store.GetAsync(schedule.Id, default))!.NextRunAt <= h.Time.GetUtcNow()) await h.AsleepAsync();
        }
        Assert.StartsWith($"Schedule {schedule.Id} (/weather Oslo) failed: the upstream is down", await h.Delivery.NextAsync());
        Assert.False(h.Delivery.Sent.Reader.TryRead(out _));
        Assert.Equal(3, h.ChatService.Messages.Count);

        h.ChatService.Fail = false;
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("ran: /weather Oslo", await h.Delivery.NextAsync());
        await h.RunsDoneAsync();
        var stored = (await h.Store.GetAsync(schedule.Id, default))!;
        Assert.False(stored.FailureReported);
        Assert.Null(stored.LastError);
    }
}
