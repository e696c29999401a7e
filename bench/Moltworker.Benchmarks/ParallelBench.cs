using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Benchmarks.Filters;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>parallel</c>: n = 1, 5, 16 calls of a tool taking L = 200 ms through the real pipeline (composition root: gating,
/// events, journal, checkpoints of a tracked task, retries, transaction log, timeouts; SQLite on disk): wall time,
/// overhead (wall − L), and the same batch forced sequential. MaxConcurrency is raised to 16 so n = 16 runs as one wave.
/// </summary>
public sealed class ParallelBench : IBench
{
    public string Name => "parallel";

    public async Task<int> RunAsync(string[] args)
    {
        const int latencyMs = 200, repeats = 5;
        var dir = Path.Combine(Path.GetTempPath(), "mw-bench-parallel-" + Guid.NewGuid().ToString("N"));
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:DataDirectory"] = dir,
            ["Moltworker:Plugins:Directory"] = Path.Combine(dir, "plugins"),
            ["Moltworker:Plugins:Watch"] = "false",
            ["Moltworker:Tools:MaxConcurrency"] = "16",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMoltworker();
        builder.Services.AddPlugin<BenchTools>();
        using var host = builder.Build();
        var runner = host.Services.GetRequiredService<BatchRunner>();
        var tracker = host.Services.GetServices<ITaskTracker>().First();
        var model = host.Services.GetRequiredService<ModelCatalog>().Get("gpt-4o-mini");
        BenchTools.Latency = TimeSpan.FromMilliseconds(latencyMs);

        var results = new List<object>();
        var turnNumber = 0;
        foreach (var n in new[] { 1, 5, 16 })
        {
            async Task<double> MeasureAsync(bool sequential)
            {
                var samples = new List<double>();
                for (var r = 0; r < repeats + 1; r++)
                {
                    var turn = new TurnContext
                    {
                        TaskId = $"bench{Interlocked.Increment(ref turnNumber)}",
                        Address = new ChatAddress("bench", "1"),
                        History = [new ChatMessage(ChatRole.User, "go")],
                        Model = sequential ? model with { ParallelCalls = false } : model,
                        Step = 1,
                    };
                    await tracker.StartedAsync(turn, default);
                    var calls = Enumerable.Range(0, n).Select(i => new FunctionCallContent($"c{i}", "wait_latency", new Dictionary<string, object?> { ["n"] = i })).ToList();
                    turn.History.Add(new ChatMessage(ChatRole.Assistant, calls.Cast<AIContent>().ToList()));
                    var started = Stopwatch.GetTimestamp();
                    var done = await runner.RunAsync(turn, calls, "model");
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (done.Any(c => c.Result!.IsError)) throw new InvalidOperationException(done.First(c => c.Result!.IsError).Result!.Content);
                    if (r > 0) samples.Add(ms); // the first run warms up JIT and the database
                }
                samples.Sort();
                return samples[samples.Count / 2];
            }

            var wall = await MeasureAsync(sequential: false);
            var sequentialMs = await MeasureAsync(sequential: true);
            Console.WriteLine($"n={n,2}: wall {wall,7:F1} ms, overhead {wall - latencyMs,6:F1} ms, sequential {sequentialMs,7:F1} ms (median of {repeats})");
            results.Add(new { n, latency_ms = latencyMs, wall_ms = Math.Round(wall, 1), overhead_ms = Math.Round(wall - latencyMs, 1), sequential_ms = Math.Round(sequentialMs, 1) });
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, true); } catch (IOException) { }
        Console.WriteLine(JsonSerializer.Serialize(new { bench = "parallel", results }));
        return 0;
    }
}
