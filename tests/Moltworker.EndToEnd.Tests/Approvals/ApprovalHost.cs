using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Api;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Kernel.Events;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Time;
using Moltworker.Testing.Upstreams;

namespace Moltworker.EndToEnd.Tests.Approvals;

/// <summary>The real web host with the built-in GitHub plugin pointed at the in-test GitHub server, the model at the
/// in-test OpenAI server, and a <see cref="FakeTimeProvider"/> (the expiry sweep is driven by the test).</summary>
public sealed class ApprovalHost : IAsyncDisposable
{
    private ApprovalHost(RunningHost host, FakeOpenAIServer model, UpstreamServer upstream, FakeTimeProvider time)
    {
        Host = host;
        Model = model;
        Upstream = upstream;
        Time = time;
    }

    public RunningHost Host { get; }
    public FakeOpenAIServer Model { get; }
    public UpstreamServer Upstream { get; }
    public FakeTimeProvider Time { get; }
    public HttpClient Http => Host.Http;

    public static async Task<ApprovalHost> StartAsync(params string[] extra)
    {
        var model = await FakeOpenAIServer.StartAsync();
        var upstream = await UpstreamServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string[] settings =
        [
            $"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:ApiKey=sk-test",
            $"--Moltworker:Plugins:GitHub:BaseUrl={upstream.BaseUrl}", "--Moltworker:Plugins:GitHub:Token=ghp_test",
            "--Moltworker:Approvals:SweepInterval=00:00:00",
            .. ManualClockSettings.NoBackgroundTimers.Select(s => $"--{s.Key}={s.Value}"),
            .. extra,
        ];
        var host = await RunningHost.StartAsync(settings, configure: s => s.AddSingleton<TimeProvider>(time));
        return new ApprovalHost(host, model, upstream, time);
    }

    /// <summary>Requests the in-test GitHub server got that would change something (not GET).</summary>
    public int Writes => Upstream.Requests.Count(r => r.Method != "GET" && r.Path.StartsWith("/repos/", StringComparison.Ordinal));

    public int Reads => Upstream.Requests.Count(r => r.Method == "GET" && r.Path.StartsWith("/repos/", StringComparison.Ordinal));

    /// <summary>Completes with the answer of <paramref name="taskId"/> once a resume publishes it.</summary>
    public Task<TaskAnswered> AnswerOf(string taskId)
    {
        var answered = new TaskCompletionSource<TaskAnswered>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = Host.Services.GetRequiredService<IEventBus>().Subscribe(e =>
        {
            if (e is TaskAnswered a && a.TaskId == taskId) answered.TrySetResult(a);
        });
        return answered.Task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => { subscription.Dispose(); return t.Result; }, TaskScheduler.Default);
    }

    public async Task<JsonElement> ChatAsync(string chatId, string text) =>
        await Http.ChatOkAsync(new { chatId, userId = "u1", text });

    public async Task<JsonElement[]> PendingAsync()
    {
        var body = await Http.GetFromJsonAsync<JsonElement>("/api/approvals");
        return body.GetProperty("approvals").EnumerateArray().ToArray();
    }

    public Task<HttpResponseMessage> AnswerAsync(string id, bool approve, bool remember = false) =>
        Http.PostAsJsonAsync($"/api/approvals/{id}", new { approve, remember });

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Model.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
