using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Benchmarks.Filters;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>agents</c>: what a delegation costs through the real pipeline (composition root: gate, events, journal on SQLite,
/// retries, timeouts), with an in-process model that answers at once. As in the host, the WAL is checkpointed in the
/// background (<see cref="WalCheckpointService"/>), so no commit pays for copying it back; <c>--sqlite-auto-checkpoints</c>
/// leaves that to SQLite inside whichever commit fills the WAL, as this bench did until 2026-12-03. (1) The kernel overhead of an <c>ask_child</c>
/// call whose child answers without tools over a plain tool call that returns at once: p50 and p99 of each over
/// <c>--calls</c> batches (default 2,000 after 300 warm-up), and their difference. (2) Three <c>ask_child</c> calls in
/// one batch whose children each call a tool taking 200 ms: wall time, median and max of <c>--repeats</c> (default 9).
/// </summary>
public sealed class AgentsBench : IBench
{
    public string Name => "agents";

    public async Task<int> RunAsync(string[] args)
    {
        var calls = Option(args, "--calls", 2000);
        var repeats = Option(args, "--repeats", 9);
        var autoCheckpoints = args.Contains("--sqlite-auto-checkpoints");
        var dir = Path.Combine(Path.GetTempPath(), "mw-bench-agents-" + Guid.NewGuid().ToString("N"));
        var agents = Path.Combine(dir, "prompts", "agents");
        Directory.CreateDirectory(agents);
        File.WriteAllText(Path.Combine(agents, "default.md"), "---\nphases: [work]\ndelegates_to: [child]\n---\nParent.");
        File.WriteAllText(Path.Combine(agents, "child.md"), "---\nphases: [work]\ntools: [wait_latency]\n---\nChild.");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = Path.Combine(dir, "data"),
            ["Moltworker:Plugins:Directory"] = Path.Combine(dir, "plugins"),
            ["Moltworker:Plugins:Watch"] = "false",
            ["Moltworker:Prompts:Directory"] = Path.Combine(dir, "prompts"),
            ["Moltworker:Llm:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Moltworker:Llm:Model"] = "gpt-4o-mini",
            ["Moltworker:Agents:MaxToolCallsPerTask"] = "1000000",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMoltworker();
        builder.Services.AddPlugin<BenchTools>();
        var model = new ChildModel();
        builder.Services.AddSingleton<IChatClient>(model);
        using var host = builder.Build();
        var runner = host.Services.GetRequiredService<BatchRunner>();
        using var checkpoints = new WalCheckpointService(host.Services.GetRequiredService<SqliteDatabase>(), host.Services.GetRequiredService<IOptions<StorageOptions>>(),
            TimeProvider.System, host.Services.GetRequiredService<ILogger<WalCheckpointService>>());
        if (!autoCheckpoints) await checkpoints.StartAsync(CancellationToken.None);
        var info = host.Services.GetRequiredService<ModelCatalog>().Get("gpt-4o-mini");
        var turnNumber = 0;

        async Task<double> RunAsync(params string[] tools)
        {
            var turn = new TurnContext
            {
                TaskId = $"bench{Interlocked.Increment(ref turnNumber)}",
                Address = new ChatAddress("bench", "1"),
                History = [new ChatMessage(ChatRole.User, "go")],
                Model = info,
                Agent = "default",
                Step = 1,
            };
            AgentThread.Enter(turn); // as the phase runner does: the delegation knows who asks
            var batch = tools.Select((t, i) => new FunctionCallContent($"c{i}", t, t == "wait_latency"
                ? new Dictionary<string, object?> { ["n"] = i }
                : new Dictionary<string, object?> { ["message"] = $"job {i}" })).ToList();
            var started = Stopwatch.GetTimestamp();
            var done = await runner.RunAsync(turn, batch, "model");
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (done.FirstOrDefault(c => c.Result!.IsError) is { } failed) throw new InvalidOperationException(failed.Result!.Content);
            return ms;
        }

        // (1) Overhead: the child answers at once, the plain tool returns at once.
        BenchTools.Latency = TimeSpan.Zero;
        model.ChildCallsTool = false;
        var plain = new List<double>();
        var delegated = new List<double>();
        for (var i = 0; i < 300; i++) { await RunAsync("wait_latency"); await RunAsync("ask_child"); }
        for (var i = 0; i < calls; i++) // interleaved, so that drift on the shared machine hits both alike
        {
            plain.Add(await RunAsync("wait_latency"));
            delegated.Add(await RunAsync("ask_child"));
        }
        plain.Sort();
        delegated.Sort();
        double P(List<double> s, double q) => s[Math.Min(s.Count - 1, (int)Math.Ceiling(q * s.Count) - 1)];
        Console.WriteLine($"plain call p50 {P(plain, .5):F3} ms, p99 {P(plain, .99):F3} ms; delegation p50 {P(delegated, .5):F3} ms, p99 {P(delegated, .99):F3} ms ({calls} each)");

        // (2) Three parallel delegations whose children each wait 200 ms in a tool.
        BenchTools.Latency = TimeSpan.FromMilliseconds(200);
        model.ChildCallsTool = true;
        await RunAsync("ask_child", "ask_child", "ask_child");
        var walls = new List<double>();
        for (var r = 0; r < repeats; r++) walls.Add(await RunAsync("ask_child", "ask_child", "ask_child"));
        walls.Sort();
        Console.WriteLine($"three parallel 200 ms delegations: median {walls[walls.Count / 2]:F1} ms, max {walls[^1]:F1} ms ({repeats} runs)");

        if (!autoCheckpoints) await checkpoints.StopAsync(CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, true); } catch (IOException) { }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench = "agents",
            calls,
            wal_checkpoints = autoCheckpoints ? "in-commit" : "background",
            plain_p50_ms = Math.Round(P(plain, .5), 3),
            plain_p99_ms = Math.Round(P(plain, .99), 3),
            delegation_p50_ms = Math.Round(P(delegated, .5), 3),
            delegation_p99_ms = Math.Round(P(delegated, .99), 3),
            overhead_p50_ms = Math.Round(P(delegated, .5) - P(plain, .5), 3),
            overhead_p99_ms = Math.Round(P(delegated, .99) - P(plain, .99), 3),
            parallel3_wall_median_ms = Math.Round(walls[walls.Count / 2], 1),
            parallel3_wall_max_ms = Math.Round(walls[^1], 1),
        }));
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
    }

    /// <summary>The model of the children: answers at once, or first calls <c>wait_latency</c> once.</summary>
    private sealed class ChildModel : IChatClient
    {
        public bool ChildCallsTool { get; set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages as IList<ChatMessage> ?? messages.ToList();
            var answered = list.Any(m => m.Role == ChatRole.Tool);
            return Task.FromResult(ChildCallsTool && !answered
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("w1", "wait_latency", new Dictionary<string, object?> { ["n"] = 1 })]))
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, "child answer")));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates()) yield return update;
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }
}
