using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>events</c>: the host in this process (<see cref="WebHostFactory"/>) on loopback with the fake OpenAI server.
/// 1. Event latency: the kernel publishes an event (on the event bus, as the filters do) and a WebSocket client on
///    <c>/api/ws</c> reads it; one at a time, p50/p99 over <c>--events</c>. 2. One-tool turns over <c>/api/chat</c> (a model
///    call asking for one tool call, the tool, a second model call) with events stored and with
///    <c>Moltworker:Events:Store=false</c>, in alternating rounds, p50 of each. 3. Turn p99 with <c>--subscribers</c> SSE
///    clients reading <c>/api/events</c> against none. Each host gets <c>--warmup</c> turns first.
/// </summary>
public sealed class EventsBench : IBench
{
    public string Name => "events";

    public async Task<int> RunAsync(string[] args)
    {
        var turns = IntArg(args, "--turns", 2000);
        var warmup = IntArg(args, "--warmup", 1500);
        var rounds = IntArg(args, "--rounds", 3);
        var events = IntArg(args, "--events", 5000);
        var subscribers = IntArg(args, "--subscribers", 1000);
        await using var model = await FakeOpenAIServer.StartAsync();
        model.RecordRequests = false;
        model.Responder = request => request.Messages.Count > 0 && request.Messages[^1].Role == "tool"
            ? ScriptedReply.Answer("The text has 3 words.")
            : ScriptedReply.Call("bench_count", """{"text":"one two three"}""");
        Console.WriteLine($"events bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");

        await using (var host = await StartAsync(model, store: true))
        {
            await TurnsAsync(host.Http, warmup);
            var latency = await EventLatencyAsync(host, events);
            Console.WriteLine($"publish → WebSocket read: p50 {Percentile(latency, 50):F3} ms, p99 {Percentile(latency, 99):F3} ms ({events} events)");
        }

        var stored = new List<double>();
        var unstored = new List<double>();
        for (var round = 0; round < rounds; round++)
            foreach (var store in new[] { true, false })
            {
                await using var host = await StartAsync(model, store);
                await TurnsAsync(host.Http, warmup);
                (store ? stored : unstored).AddRange(await TurnsAsync(host.Http, turns));
            }
        if (rounds > 0) Console.WriteLine($"one-tool turn p50: events stored {Percentile(stored, 50):F3} ms, not stored {Percentile(unstored, 50):F3} ms, " +
                          $"difference {Percentile(stored, 50) - Percentile(unstored, 50):+0.000;-0.000} ms ({stored.Count} turns each)");

        if (subscribers > 0)
        await using (var host = await StartAsync(model, store: true))
        {
            await TurnsAsync(host.Http, warmup);
            var alone = await TurnsAsync(host.Http, turns);
            using var readers = new CancellationTokenSource();
            var streams = await SubscribeAsync(host, subscribers, readers.Token);
            var crowded = await TurnsAsync(host.Http, turns);
            var hub = host.App.Services.GetRequiredService<EventRecorder>().Hub;
            Console.WriteLine($"turn p99: no subscribers {Percentile(alone, 99):F3} ms, {hub.SubscriberCount} SSE subscribers {Percentile(crowded, 99):F3} ms " +
                              $"({(Percentile(crowded, 99) / Percentile(alone, 99) - 1) * 100:+0;-0} %), p50 {Percentile(alone, 50):F3} / {Percentile(crowded, 50):F3} ms, dropped {hub.DroppedCount}");
            await readers.CancelAsync();
            foreach (var s in streams) s.Dispose();
        }
        return 0;
    }

    private static async Task<List<double>> EventLatencyAsync(InProcessHost host, int count)
    {
        var bus = host.App.Services.GetRequiredService<IEventBus>();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(host.Http.BaseAddress!.ToString().Replace("http", "ws", StringComparison.Ordinal) + "api/ws?task=bench-latency"), CancellationToken.None);
        var address = new ChatAddress("bench", "latency");
        var buffer = new byte[64 * 1024];
        var ms = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            bus.Publish(new PoStateChanged("bench-latency", address, PoStatus.Thinking));
            WebSocketReceiveResult result;
            do result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            while (!result.EndOfMessage);
            ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        return ms;
    }

    private static async Task<List<HttpResponseMessage>> SubscribeAsync(InProcessHost host, int count, CancellationToken stop)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = count + 10 };
        var http = new HttpClient(handler) { BaseAddress = host.Http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var list = new List<HttpResponseMessage>();
        for (var i = 0; i < count; i++)
        {
            var response = await http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, stop);
            list.Add(response);
            var body = await response.Content.ReadAsStreamAsync(stop);
            _ = Task.Run(async () =>
            {
                var buffer = new byte[16 * 1024];
                try { while (await body.ReadAsync(buffer, stop) > 0) { } }
                catch (Exception) { }   // stopped
            }, CancellationToken.None);
        }
        return list;
    }

    private static async Task<List<double>> TurnsAsync(HttpClient http, int count)
    {
        var ms = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsJsonAsync("/api/chat", new { chatId = $"bench-{i % 50}", text = "count the words" });
            response.EnsureSuccessStatusCode();
            ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return ms;
    }

    private static async Task<InProcessHost> StartAsync(FakeOpenAIServer model, bool store)
    {
        var data = Directory.CreateTempSubdirectory("mw-events-bench-");
        var app = WebHostFactory.Build(
        [
            "--urls=http://127.0.0.1:0", $"--Moltworker:DataDirectory={data.FullName}", $"--Moltworker:Plugins:Directory={data.CreateSubdirectory("plugins").FullName}",
            $"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=sk-bench",
            "--Moltworker:Api:RateLimit:Enabled=false", "--Moltworker:Agent:HistoryMessages=4", $"--Moltworker:Events:Store={store}",
            "--Moltworker:Events:SubscriberBuffer=4096", "--Logging:LogLevel:Default=Warning",
        ], builder => builder.Services.AddPlugin<BenchTools>());
        await app.StartAsync();
        return new InProcessHost(app, data);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>The turn's one tool: counts words, read-only.</summary>
    public sealed class BenchTools
    {
        [KernelFunction("bench_count"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Counts words")]
        public int Count([Description("text")] string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    private sealed class InProcessHost(WebApplication app, DirectoryInfo data) : IAsyncDisposable
    {
        public WebApplication App => app;
        public HttpClient Http { get; } = new() { BaseAddress = new Uri(app.Urls.First()) };

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { data.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
