using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Host.Composition;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Console.Tests.Support;

/// <summary>
/// The real web host (<see cref="WebHostFactory.Build"/>) on 127.0.0.1 with a free port and a temporary data folder,
/// its model the in-test OpenAI-compatible server scripted by the user's text: "look …" gets one batch of three
/// parallel <c>slow_look</c> calls, "note …" one <c>write_note</c> call (which waits for approval), anything else the
/// answer "echo: …"; after tool results the answer is "done: …".
/// </summary>
public sealed class ConsoleHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;

    private ConsoleHost(WebApplication app, FakeOpenAIServer model, CallGate gate, string folder)
    {
        _app = app;
        _folder = folder;
        Model = model;
        Gate = gate;
        BaseUrl = app.Urls.First();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public FakeOpenAIServer Model { get; }
    public CallGate Gate { get; }
    public string BaseUrl { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;

    public static async Task<ConsoleHost> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var model = await FakeOpenAIServer.StartAsync();
        var calls = 0;
        model.Responder = request =>
        {
            var text = request.LastUserText ?? "";
            if (request.Messages[^1].Role == "tool") return ScriptedReply.Answer($"done: {text}");
            if (text.StartsWith("look", StringComparison.Ordinal))
                return ScriptedReply.Calls(Enumerable.Range(1, 3)
                    .Select(i => ScriptedToolCall.Json("slow_look", new { name = $"thing {i}" }, $"call_{Interlocked.Increment(ref calls)}")).ToArray());
            if (text.StartsWith("note", StringComparison.Ordinal))
                return ScriptedReply.Calls(ScriptedToolCall.Json("write_note", new { text = text[4..].Trim() }, $"call_{Interlocked.Increment(ref calls)}"));
            return ScriptedReply.Answer($"echo: {text}");
        };
        var gate = new CallGate();
        var folder = Path.Combine(Path.GetTempPath(), "moltworker-console-" + Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Moltworker:DataDirectory={Path.Combine(folder, "data")}",
            $"--Moltworker:Plugins:Directory={Path.Combine(folder, "plugins")}",
            "--Logging:LogLevel:Default=Warning",
            $"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=sk-test",
            "--Moltworker:Api:RateLimit:Enabled=false",
        ];
        Directory.CreateDirectory(Path.Combine(folder, "plugins"));
        var app = WebHostFactory.Build(args, builder =>
        {
            builder.Services.AddSingleton(gate);
            builder.Services.AddPlugin<ConsoleTestTools>();
            configure?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new ConsoleHost(app, model, gate, folder);
    }

    /// <summary>Sends a chat message over <c>POST /api/chat</c> and returns the reply body.</summary>
    public async Task<JsonElement> ChatAsync(string chatId, string text)
    {
        using var response = await Http.PostAsJsonAsync("/api/chat", new { chatId, text });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    /// <summary>Makes an API key with <paramref name="scopes"/> (from then on every request needs one) and returns it.</summary>
    public async Task<string> CreateKeyAsync(string name, params string[] scopes)
    {
        var key = ApiKeyText.Generate();
        var store = Services.GetRequiredService<IApiKeyStore>();
        Assert.True(await store.CreateAsync(new ApiKeyRecord(name, ApiKeyText.Hash(key), scopes, DateTimeOffset.UtcNow), CancellationToken.None));
        return key;
    }

    /// <summary>A task's stored events (<c>GET /api/tasks/{id}/events</c>).</summary>
    public async Task<IReadOnlyList<JsonElement>> TaskEventsAsync(string taskId)
    {
        var body = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{taskId}/events");
        return body.GetProperty("events").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
