using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Telegram.Tests.Schedules;

/// <summary>Schedules made from the chat: by the model through <c>schedule_task</c>, and with <c>/schedule</c>.</summary>
public sealed class ScheduleChatEndToEndTests : BotAndModelServers
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private Task<TelegramTestHost> StartHostAsync(FakeTimeProvider time) =>
        TelegramTestHost.StartAsync(Bot,
            new Dictionary<string, string?> { ["Moltworker:Llm:BaseUrl"] = Model.BaseUrl, ["Moltworker:Llm:ApiKey"] = "k", ["Moltworker:Llm:Model"] = "test-model" },
            configure: s => s.AddSingleton<TimeProvider>(time).AddSchedules(new ConfigurationBuilder().Build()));

    [Fact]
    public async Task Remind_me_in_20_minutes_becomes_a_one_off_run_whose_answer_comes_20_minutes_later()
    {
        var time = new FakeTimeProvider(Start);
        Model.Enqueue(
            ScriptedReply.Call("schedule_task", """{"what":"Remind the user to call Anna","when":"in 20 minutes"}""", "call_s"),
            ScriptedReply.Answer("I will remind you at 09:20."),
            ScriptedReply.Answer("Time to call Anna!"));
        await using var host = await StartHostAsync(time);

        Bot.EnqueueText(911, 61, "Remind me in 20 minutes to call Anna");
        await Bot.WaitUntilAsync(s => s.Messages(911).Count == 1);
        Assert.Equal("I will remind you at 09:20.", Bot.Messages(911)[0].Text);
        Assert.Contains(Model.Requests[0].Tools, t => t.Name == "schedule_task");
        var schedule = Assert.Single(await host.Services.GetRequiredService<ScheduleService>().ListAsync(new ChatAddress("telegram", "911"), default));
        Assert.Equal((ScheduleKind.Once, Start.AddMinutes(20), "Remind the user to call Anna"), (schedule.Timing.Kind, schedule.NextRunAt, schedule.What));

        await host.Services.GetRequiredService<Scheduler>().Asleep.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromMinutes(20));
        await Bot.WaitUntilAsync(s => s.Messages(911).Count == 2);
        Assert.Equal("Time to call Anna!", Bot.Messages(911)[1].Text);
        Assert.Equal("Remind the user to call Anna", Model.Requests[2].LastUserText);
    }

    [Fact]
    public async Task Schedule_lists_adds_refuses_and_removes_in_the_chat()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await StartHostAsync(time);
        await Bot.WaitUntilAsync(s => s.Commands.Count > 0);
        Assert.Contains(Bot.Commands, c => c.Command == "schedule");

        Bot.EnqueueText(912, 62, "/schedule");
        await Bot.WaitUntilAsync(s => s.Messages(912).Count == 1);
        Assert.StartsWith("No schedules in this chat.", Bot.Messages(912)[0].Text);

        Bot.EnqueueText(912, 62, "/schedule add \"0 8 * * 1-5\" /echo_text good morning");
        await Bot.WaitUntilAsync(s => s.Messages(912).Count == 2);
        Assert.StartsWith("Scheduled: ", Bot.Messages(912)[1].Text);
        var schedule = Assert.Single(await host.Services.GetRequiredService<ScheduleService>().ListAsync(new ChatAddress("telegram", "912"), default));
        Assert.Equal("/echo_text good morning", schedule.What);

        Bot.EnqueueText(912, 62, "/schedule add \"0 0 31 2 *\" /echo_text never");
        await Bot.WaitUntilAsync(s => s.Messages(912).Count == 3);
        Assert.Equal("\"0 0 31 2 *\" never fires: day 31 of February never comes.", Bot.Messages(912)[2].Text);

        Bot.EnqueueText(912, 62, "/schedule");
        await Bot.WaitUntilAsync(s => s.Messages(912).Count == 4);
        Assert.Contains($"{schedule.Id} · cron \"0 8 * * 1-5\" UTC · /echo_text good morning · next Fri 2026-12-04 08:00 UTC", Bot.Messages(912)[3].Text);

        Bot.EnqueueText(912, 62, $"/schedule remove {schedule.Id}");
        await Bot.WaitUntilAsync(s => s.Messages(912).Count == 5);
        Assert.Equal($"Removed schedule {schedule.Id}.", Bot.Messages(912)[4].Text);
        Assert.Empty(await host.Services.GetRequiredService<ScheduleService>().ListAsync(null, default));
    }
}
