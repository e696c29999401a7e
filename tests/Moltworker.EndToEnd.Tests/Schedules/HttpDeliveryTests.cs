using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Api;
using Moltworker.EndToEnd.Tests.Events;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Kernel.Schedules;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Time;

namespace Moltworker.EndToEnd.Tests.Schedules;

/// <summary>Delivery to an HTTP chat, over real HTTP: a scheduled run's answer, which no request waits for, arrives on an
/// open SSE stream as <c>chat_message</c> and is readable afterwards from <c>/api/chats/{chatId}/messages</c>; the run's
/// task keeps its <c>schedule_fired</c> event.</summary>
public sealed class HttpDeliveryTests
{
    [Fact]
    public async Task A_scheduled_answer_for_an_http_chat_arrives_on_the_stream_and_is_readable_afterwards()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Enqueue(ScriptedReply.Answer("Three meetings today."));
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test"],
            configure: services => services.AddSingleton<TimeProvider>(time));
        await using var stream = await SseClient.ConnectAsync(host.Http, "?channel=http&chat=planner");

        string scheduleId;
        using (var created = await host.Http.PostAsJsonAsync("/api/schedules", new { channel = "http", chatId = "planner", when = "in 5 minutes", what = "Summarise my day" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            scheduleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }
        await host.Services.GetRequiredService<Scheduler>().Asleep.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromMinutes(5));

        var events = await stream.ReadUntilAsync(e => e.Name == "chat_message");
        var fired = Assert.Single(events, e => e.Name == "schedule_fired");
        Assert.Equal(scheduleId, fired.Data.GetProperty("schedule_id").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 9, 5, 0, TimeSpan.Zero), fired.Data.GetProperty("due_at").GetDateTimeOffset());
        var message = events[^1];
        Assert.Equal("Three meetings today.", message.Data.GetProperty("text").GetString());
        Assert.Equal(message.TaskId, message.Data.GetProperty("message_id").GetString());

        var read = await host.Http.GetFromJsonAsync<JsonElement>("/api/chats/planner/messages");
        var stored = Assert.Single(read.GetProperty("messages").EnumerateArray());
        Assert.Equal((message.Id, message.TaskId, "Three meetings today."),
            (stored.GetProperty("id").GetInt64(), stored.GetProperty("messageId").GetString(), stored.GetProperty("text").GetString()));
        var next = read.GetProperty("next").GetInt64();
        Assert.True(next >= message.Id);
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>($"/api/chats/planner/messages?after={next}")).GetProperty("messages").EnumerateArray());
        Assert.Empty((await host.Http.GetFromJsonAsync<JsonElement>("/api/chats/other/messages")).GetProperty("messages").EnumerateArray());
        using (var bad = await host.Http.GetAsync("/api/chats/planner/messages?after=-1"))
            Assert.StartsWith("after must be an event id", (await ApiResponses.AssertProblemAsync(bad, 400)).Detail(), StringComparison.Ordinal);

        // The run's task keeps schedule_fired among its stored events.
        var taskEvents = await host.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{fired.TaskId}/events");
        Assert.Contains(taskEvents.GetProperty("events").EnumerateArray(), e => e.GetProperty("event").GetString() == "schedule_fired");
    }
}
