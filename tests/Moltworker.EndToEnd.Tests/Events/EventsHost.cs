using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Api;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Kernel.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Events;

/// <summary>The real host with a fake model that answers every user message with one batch of three parallel
/// <c>look</c> calls, then a text answer; the tool is <see cref="EventTestTools"/>.</summary>
public sealed class EventsHost : IAsyncDisposable
{
    private EventsHost(FakeOpenAIServer model, RunningHost host, ToolGate gate)
    {
        Model = model;
        Host = host;
        Gate = gate;
    }

    public FakeOpenAIServer Model { get; }
    public RunningHost Host { get; }
    public ToolGate Gate { get; }
    public HttpClient Http => Host.Http;

    public static async Task<EventsHost> StartAsync(IEnumerable<string>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var model = await FakeOpenAIServer.StartAsync();
        var turn = 0;
        model.Responder = request => request.Messages[^1].Role == "tool"
            ? ScriptedReply.Answer($"answer to {request.LastUserText}")
            : ScriptedReply.Calls(Enumerable.Range(1, 3).Select(i => ScriptedToolCall.Json("look", new { name = $"thing {i}" }, $"call_{Interlocked.Increment(ref turn)}")).ToArray());
        var gate = new ToolGate();
        var host = await RunningHost.StartAsync(
        [
            $"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=sk-test",
            "--Moltworker:Api:RateLimit:Enabled=false", .. settings ?? [],
        ], configure: services =>
        {
            services.AddSingleton(gate);
            services.AddPlugin<EventTestTools>();
            configure?.Invoke(services);
        });
        return new EventsHost(model, host, gate);
    }

    /// <summary>Sends a chat message and returns the answer's task id.</summary>
    public async Task<string> ChatAsync(string chatId, string text)
    {
        var answer = await Http.ChatOkAsync(new { chatId, text });
        Assert.Equal($"answer to {text}", answer.GetProperty("text").GetString());
        return answer.GetProperty("taskId").GetString()!;
    }

    /// <summary>A task's stored events (<c>GET /api/tasks/{id}/events</c>).</summary>
    public async Task<IReadOnlyList<WireEvent>> TaskEventsAsync(string taskId)
    {
        var body = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}/events");
        return body.GetProperty("events").EnumerateArray().Select(WireEvent.From).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Model.DisposeAsync();
    }
}

/// <summary>An event as a client receives it.</summary>
public sealed record WireEvent(long Id, string Name, string TaskId, string? BatchId, string? CallId, JsonElement Data)
{
    public static WireEvent From(JsonElement e) => new(e.GetProperty("id").GetInt64(), e.GetProperty("event").GetString()!, e.GetProperty("task_id").GetString()!,
        e.TryGetProperty("batch_id", out var b) ? b.GetString() : null, e.TryGetProperty("call_id", out var c) ? c.GetString() : null, e.GetProperty("data").Clone());
}
