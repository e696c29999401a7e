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
public sealed class ScheduleChatEndToEndTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private TelegramBotApiServer _telegram = null!;
    private FakeOpenAIServer _model = null!;

    public async Task InitializeAsync()
    {
        _telegram = await TelegramBotApiServer.StartAsync();
        _model = await FakeOpenAIServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _telegram.DisposeAsync();
        await _model.DisposeAsync();
    }

    private Task<TelegramTestHost> StartHostAsync(FakeTimeProvider time) =>
        TelegramTestHost.StartAsync(_telegram,
            new Dictionary<string, string?> { ["Moltworker:Llm:BaseUrl"] = _model.BaseUrl, ["Moltworker:Llm:ApiKey"] = "k", ["Moltworker:Llm:Model"] = "test-model" },
            configure: s => s.AddSingleton<TimeProvider>(time).AddSchedules(new ConfigurationBuilder().Build()));

    [Fact]
    public async Task Remind_me_in_20_minutes_becomes_a_one_off_run_whose_answer_comes_20_minutes_later()
    {
        var time = new FakeTimeProvider(Start);
        _model.Enqueue(
            ScriptedReply.Call("schedule_task", """{"what":"Remind the user to call Anna","when":"in 20 minutes"}""", "call_s"),
            ScriptedReply.Answer("I will remind you at 09:20."),
            ScriptedReply.Answer("Time to call Anna!"));
        await using var host = await StartHostAsync(time);

        _telegram.EnqueueText(911, 61, "Remind me in 20 minutes to call Anna");
        await _telegram.WaitUntilAsync(s => s.Messages(911).Count == 1);
        Assert.Equal("I will remind you at 09:20.", _telegram.Messages(911)[0].Text);
        Assert.Contains(_model.Requests[0].Tools, t => t.Name == "schedule_task");
        var schedule = Assert.Single(await host.Services.GetRequiredService<ScheduleService>().ListAsync(new ChatAddress("telegram", "911"), default));
        Assert.Equal((ScheduleKind.Once, Start.AddMinutes(20), "Remind the user to call Anna"), (schedule.Timing.Kind, schedule.NextRunAt, schedule.What));

        await host.Services.GetRequiredService<Scheduler>().Asleep.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromMinutes(20));
        await _telegram.WaitUntilAsync(s => s.Messages(911).Count == 2);
        Assert.Equal("Time to call Anna!", _telegram.Messages(911)[1].Text);
        Assert.Equal("Remind the user to call Anna", _model.Requests[2].LastUserText);
    }

    [Fact]
    public async Task Schedule_lists_adds_refuses_and_removes_in_the_chat()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await StartHostAsync(time);
        await _telegram.WaitUntilAsync(s => s.Commands.Count > 0);
        Assert.Contains(_telegram.Commands, c => c.Command == "schedule");

        _telegram.EnqueueText(912, 62, "/schedule");
        await _telegram.WaitUntilAsync(s => s.Messages(912).Count == 1);
        Assert.StartsWith("No schedules in this chat.", _telegram.Messages(912)[0].Text);

        _telegram.EnqueueText(912, 62, "/schedule add \"0 8 * * 1-5\" /echo_text good morning");
        await _telegram.WaitUntilAsync(s => s.Messages(912).Count == 2);
        Assert.StartsWith("Scheduled: ", _telegram.Messages(912)[1].Text);
        var schedule = Assert.Single(await host.Services.GetRequiredService<ScheduleService>().ListAsync(new ChatAddress("telegram", "912"), default));
        Assert.Equal("/echo_text good morning", schedule.What);

        _telegram.EnqueueText(912, 62, "/schedule add \"0 0 31 2 *\" /echo_text never");
        await _telegram.WaitUntilAsync(s => s.Messages(912).Count == 3);
        Assert.Equal("\"0 0 31 2 *\" never fires: day 31 of February never comes.", _telegram.Messages(912)[2].Text);

        _telegram.EnqueueText(912, 62, "/schedule");
        await _telegram.WaitUntilAsync(s => s.Messages(912).Count == 4);
        Assert.Contains($"{schedule.Id} · cron \"0 8 * * 1-5\" UTC · /echo_text good morning · next Fri 2026-12-04 08:00 UTC", _telegram.Messages(912)[3].Text);

        _telegram.EnqueueText(912, 62, $"/schedule remove {schedule.Id}");
        await _telegram.WaitUntilAsync(s => s.Messages(912).Count == 5);
        Assert.Equal($"Removed schedule {schedule.Id}.", _telegram.Messages(912)[4].Text);
        Assert.Empty(await host.Services.GetRequiredService<ScheduleService>().ListAsync(null, default));
    }
}
