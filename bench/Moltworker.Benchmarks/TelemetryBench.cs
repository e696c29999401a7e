using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Host.Composition;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Telemetry;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>telemetry</c>: what the GenAI instrumentation costs when no exporter is configured. The host runs in this process
/// (<see cref="WebHostFactory"/>) with the fake OpenAI server; one-tool turns over <c>/api/chat</c> (a model call asking
/// for one tool call, the tool, a second model call), in alternating rounds: as built (the <c>invoke_agent</c> turn
/// filter, the <c>execute_tool</c> event subscriber and M.E.AI's <c>OpenTelemetryChatClient</c> registered, nobody
/// listening) and with those three removed from the container. Each host gets <c>--warmup</c> turns first; p50 and p99
/// of all measured turns of each kind.
/// </summary>
public sealed class TelemetryBench : IBench
{
    public string Name => "telemetry";

    public async Task<int> RunAsync(string[] args)
    {
        var turns = IntArg(args, "--turns", 2000);
        var warmup = IntArg(args, "--warmup", 1000);
        var rounds = IntArg(args, "--rounds", 3);
        await using var model = await FakeOpenAIServer.StartAsync();
        model.RecordRequests = false;
        model.Responder = request => request.Messages.Count > 0 && request.Messages[^1].Role == "tool"
            ? ScriptedReply.Answer("The text has 3 words.")
            : ScriptedReply.Call("bench_count", """{"text":"one two three"}""");
        Console.WriteLine($"telemetry bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");

        var instrumented = new List<double>();
        var bare = new List<double>();
        for (var round = 0; round < rounds; round++)
            foreach (var withTelemetry in new[] { true, false })
            {
                var data = Directory.CreateTempSubdirectory("mw-telemetry-bench-");
                var app = await StartAsync(model, data, withTelemetry);
                try
                {
                    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
                    await TurnsAsync(http, warmup);
                    (withTelemetry ? instrumented : bare).AddRange(await TurnsAsync(http, turns));
                }
                finally
                {
                    await app.StopAsync();
                    await app.DisposeAsync();
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    try { data.Delete(recursive: true); } catch (IOException) { }
                }
            }
        Console.WriteLine($"one-tool turn, {instrumented.Count} turns each: instrumented (no exporter) p50 {Percentile(instrumented, 50):F3} ms, " +
                          $"p99 {Percentile(instrumented, 99):F3} ms; without instrumentation p50 {Percentile(bare, 50):F3} ms, p99 {Percentile(bare, 99):F3} ms; " +
                          $"difference p50 {Percentile(instrumented, 50) - Percentile(bare, 50):+0.000;-0.000} ms, p99 {Percentile(instrumented, 99) - Percentile(bare, 99):+0.000;-0.000} ms");
        return 0;
    }

    private static async Task<WebApplication> StartAsync(FakeOpenAIServer model, DirectoryInfo data, bool withTelemetry)
    {
        var app = WebHostFactory.Build(
        [
            "--urls=http://127.0.0.1:0", $"--Moltworker:DataDirectory={data.FullName}", $"--Moltworker:Plugins:Directory={data.CreateSubdirectory("plugins").FullName}",
            $"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=sk-bench",
            "--Moltworker:Api:RateLimit:Enabled=false", "--Moltworker:Agent:HistoryMessages=4", "--Logging:LogLevel:Default=Warning",
        ], builder =>
        {
            builder.Services.AddPlugin<BenchTools>();
            if (!withTelemetry) RemoveTelemetry(builder.Services);
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>Takes out what <see cref="TelemetryServiceCollectionExtensions.AddGenAiTelemetry"/> registered.</summary>
    private static void RemoveTelemetry(IServiceCollection services)
    {
        var removed = services.Where(d =>
            d.ServiceType == typeof(GenAiTurnTelemetry) ||
            (d.ServiceType == typeof(IChatClientDecorator) && d.ImplementationType == typeof(GenAiChatClientDecorator)) ||
            (d.ServiceType == typeof(ITurnFilter) && d.ImplementationFactory?.Method.DeclaringType?.DeclaringType == typeof(TelemetryServiceCollectionExtensions))).ToList();
        if (removed.Count != 3) throw new InvalidOperationException($"expected the 3 telemetry registrations, found {removed.Count}");
        foreach (var d in removed) services.Remove(d);
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
}
