using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Telegram.Tests.Schedules;

/// <summary>A schedule fires on the injected clock, runs through the kernel (a /command, or a prompt as an agent turn
/// answered by the in-test OpenAI server) and its answer reaches the chat through the in-test Telegram Bot API. (That the
/// run is a durable task is shown with the host's full composition in the EndToEnd tests.)</summary>
public sealed class ScheduledRunEndToEndTests : BotAndModelServers
{
    private static readonly DateTimeOffset Monday0655Utc = new(2026, 12, 7, 6, 55, 0, TimeSpan.Zero);
    private Task<TelegramTestHost> StartHostAsync(FakeTimeProvider time, bool withModel) =>
        TelegramTestHost.StartAsync(Bot,
            withModel ? new Dictionary<string, string?> { ["Moltworker:Llm:BaseUrl"] = Model.BaseUrl, ["Moltworker:Llm:ApiKey"] = "k", ["Moltworker:Llm:Model"] = "test-model" } : null,
            configure: s => s.AddSingleton<TimeProvider>(time).AddSchedules(new ConfigurationBuilder().Build()));

    [Fact]
    public async Task A_weekday_prompt_runs_as_an_agent_task_at_eight_in_Oslo_and_the_answer_reaches_the_chat()
    {
        var time = new FakeTimeProvider(Monday0655Utc);
        Model.Enqueue(ScriptedReply.Answer("**Good morning**: three meetings today."));
        await using var host = await StartHostAsync(time, withModel: true);
        var fired = new List<ScheduleFired>();
        using var _ = host.Services.GetRequiredService<IEventBus>().Subscribe(e => { if (e is ScheduleFired f) lock (fired) fired.Add(f); });
        var chat = new ChatAddress("telegram", "901", "51");
        var schedule = await host.Services.GetRequiredService<ScheduleService>()
            .AddAsync(chat, "0 8 * * 1-5", "Europe/Oslo", "Summarise my day", default);

        await host.Services.GetRequiredService<Scheduler>().Asleep.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(Bot.Messages(901));
        time.Advance(TimeSpan.FromMinutes(5));   // 07:00 UTC is 08:00 in Oslo

        await Bot.WaitUntilAsync(s => s.Messages(901).Count == 1);
        Assert.Equal("<b>Good morning</b>: three meetings today.", Bot.Messages(901)[0].RawText);
        Assert.Contains(Model.Requests[0].Messages, m => m.Role == "user" && m.Content == "Summarise my day");
        var run = Assert.Single(fired);
        Assert.Equal(Monday0655Utc.AddMinutes(5), run.DueAt);
        await WaitForAsync(async () => (await host.Services.GetRequiredService<ScheduleService>().ListAsync(chat, default))[0].NextRunAt > Monday0655Utc.AddHours(1));
        Assert.Equal(Monday0655Utc.AddDays(1).AddMinutes(5), (await host.Services.GetRequiredService<IScheduleStore>().GetAsync(schedule.Id, default))!.NextRunAt);
    }

    [Fact]
    public async Task A_scheduled_command_runs_without_a_model_and_its_answer_reaches_the_chat()
    {
        var time = new FakeTimeProvider(Monday0655Utc);
        await using var host = await StartHostAsync(time, withModel: false);
        await host.Services.GetRequiredService<ScheduleService>()
            .AddAsync(new ChatAddress("telegram", "902", "52"), "every 1m", null, "/echo_text good morning", default);

        await host.Services.GetRequiredService<Scheduler>().Asleep.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromMinutes(1));
        await Bot.WaitUntilAsync(s => s.Messages(902).Count == 1);
        Assert.Equal("echo: good morning", Bot.Messages(902)[0].Text);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold within 30 s.");
            await Task.Yield();
        }
    }
}
