using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.Tests.Schedules.Support;

namespace Moltworker.Kernel.Tests.Schedules;

public sealed class ScheduleCommandTests
{
    [Fact]
    public async Task Add_reads_a_quoted_time_or_everything_before_the_command_and_refusals_store_nothing()
    {
        await using var h = new SchedulerHarness(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var command = new ScheduleCommand(h.Service);

        var unquoted = await command.RunAsync("add every 20m /weather Oslo", SchedulerHarness.Chat, default);
        Assert.False(unquoted.IsError, unquoted.Text);
        var prompt = await command.RunAsync("add \"in 2 hours\" Remind me to stretch", SchedulerHarness.Chat, default);
        Assert.False(prompt.IsError, prompt.Text);
        var listed = await h.Service.ListAsync(SchedulerHarness.Chat, default);
        Assert.Equal([("/weather Oslo", ScheduleKind.Interval), ("Remind me to stretch", ScheduleKind.Once)], listed.Select(s => (s.What, s.Timing.Kind)));

        var noCommand = await command.RunAsync("add in 2 hours Remind me", SchedulerHarness.Chat, default);
        Assert.True(noCommand.IsError);
        Assert.StartsWith("Usage: /schedule", noCommand.Text);
        var unknown = await command.RunAsync("stop abc", SchedulerHarness.Chat, default);
        Assert.StartsWith("Unknown /schedule action \"stop\".", unknown.Text);
        var missing = await command.RunAsync("remove deadbeef", SchedulerHarness.Chat, default);
        Assert.Equal("This chat has no schedule deadbeef; /schedule lists them.", missing.Text);
        Assert.Equal(2, (await h.Service.ListAsync(null, default)).Count);
    }

    [Fact]
    public async Task Pause_and_resume_show_the_state_in_the_list_and_refuse_another_chats_schedule()
    {
        await using var h = new SchedulerHarness(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));
        var command = new ScheduleCommand(h.Service);
        var schedule = await h.Service.AddAsync(SchedulerHarness.Chat, "every 1h", null, "/briefing", default);

        var paused = await command.RunAsync($"pause {schedule.Id}", SchedulerHarness.Chat, default);
        Assert.Equal($"Paused: {schedule.Id} · every 1h · /briefing · paused. /schedule resume {schedule.Id} runs it again.", paused.Text);
        Assert.EndsWith("· paused", (await command.RunAsync("", SchedulerHarness.Chat, default)).Text);
        var elsewhere = await command.RunAsync($"resume {schedule.Id}", SchedulerHarness.Chat with { ChatId = "43" }, default);
        Assert.Equal($"This chat has no schedule {schedule.Id}; /schedule lists them.", elsewhere.Text);
        Assert.True(elsewhere.IsError);

        h.Time.Advance(TimeSpan.FromMinutes(90));
        var resumed = await command.RunAsync($"resume {schedule.Id}", SchedulerHarness.Chat, default);
        Assert.Equal($"Resumed: {schedule.Id} · every 1h · /briefing · next Thu 2026-12-03 10:30 UTC", resumed.Text);
        Assert.True((await command.RunAsync("pause", SchedulerHarness.Chat, default)).IsError);
    }
}
