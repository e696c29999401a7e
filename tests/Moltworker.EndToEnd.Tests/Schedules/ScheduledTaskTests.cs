using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.Tasks;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Time;

namespace Moltworker.EndToEnd.Tests.Schedules;

/// <summary>With the host's full composition, a scheduled prompt is a durable task like any other: a task row that ends
/// Completed with the model's answer, and a schedule_fired event naming it.</summary>
public sealed class ScheduledTaskTests
{
    [Fact]
    public async Task A_scheduled_prompt_runs_as_a_durable_task_on_the_injected_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Enqueue(ScriptedReply.Answer("Three meetings today."));
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test"],
            configure: services => services.AddSingleton<TimeProvider>(time));
        var fired = new TaskCompletionSource<ScheduleFired>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = host.Services.GetRequiredService<IEventBus>().Subscribe(e => { if (e is ScheduleFired f) fired.TrySetResult(f); });

        using (var created = await host.Http.PostAsJsonAsync("/api/schedules", new { channel = "http", chatId = "planner", when = "in 5 minutes", what = "Summarise my day" }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await host.Services.GetRequiredService<Scheduler>().Asleep.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(model.Requests);
        time.Advance(TimeSpan.FromMinutes(5));

        var run = await fired.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var task = await host.EventuallyAsync(() => host.Services.GetRequiredService<ITaskStore>().GetAsync(run.TaskId, default),
            t => t?.Status == DurableTaskStatus.Completed, "the scheduled task completes");
        Assert.Equal("Three meetings today.", task!.FinalText);
        Assert.Equal(("http", "planner"), (task.Address.Channel, task.Address.ChatId));
        Assert.Equal("Summarise my day", model.Requests[0].LastUserText);
        var left = await host.Http.GetFromJsonAsync<JsonElement>("/api/schedules");
        Assert.Empty(left.EnumerateArray());   // a one-off is removed once it ran
    }
}
