using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>kernel</c>: the built host as its own process. Startup: process start to the first <c>/healthz</c> 200 (median of
/// several starts). Turns: POST /api/chat, each turn one model call that asks for one tool call (the sample plugin's
/// word counter, dropped into the plugins folder), the tool, and a second model call with the answer; the model is the
/// in-process fake OpenAI server answering at once over loopback. Measured after 3,000 warm-up turns (<c>--warmup</c>):
/// before that the tiered JIT still recompiles hot methods in the background and takes a third of the 2 cores. The
/// client-side time is the figure; the host's own time for the turn comes back in <c>Server-Timing</c>. Memory: the
/// host's VmRSS after 1,000 turns. <c>--slowest N</c> lists the N slowest turns by number. <c>--telegram</c> configures
/// the Telegram channel against an in-process fake Bot API server (the host long-polls it, registers its commands and
/// keeps its client) while the turns still come over HTTP, so the memory figures include a configured channel.
/// <c>--postgres &lt;connection string&gt;</c> runs the host's stores on that (empty) PostgreSQL database.
/// <c>--host-env NAME=VALUE</c> (repeatable) sets an environment variable for the host only; <c>--mappings</c> prints
/// what of the host's resident memory grew from turn 1,000 to 10,000, by kind of mapping.
/// </summary>
public sealed class KernelBench : IBench
{
    public string Name => "kernel";

    public async Task<int> RunAsync(string[] args)
    {
        var turns = IntArg(args, "--turns", 5000);
        var warmup = IntArg(args, "--warmup", 3000);
        var slowest = IntArg(args, "--slowest", 0);
        var starts = IntArg(args, "--starts", 5);
        var paths = BenchPaths.Find();
        var work = Directory.CreateTempSubdirectory("mw-bench-");
        try
        {
            await using var model = await FakeOpenAIServer.StartAsync();
            model.RecordRequests = false;
            model.Responder = request => request.Messages.Count > 0 && request.Messages[^1].Role == "tool"
                ? ScriptedReply.Answer("The text has 3 words.")
                : ScriptedReply.Call("sample_word_count", """{"text":"one two three"}""");

            await using var telegram = args.Contains("--telegram") ? await TelegramBotApiServer.StartAsync() : null;
            var settings = telegram is null ? new Dictionary<string, string>() : new Dictionary<string, string>
            {
                ["Moltworker__Telegram__BotToken"] = telegram.Token,
                ["Moltworker__Telegram__ApiRoot"] = telegram.ApiRoot,
                ["Moltworker__Telegram__PollTimeoutSeconds"] = "5",
            };
            // --postgres <connection string>: the stores on that (empty) PostgreSQL database instead of SQLite.
            if (StringArg(args, "--postgres") is { } postgres)
            {
                settings["Moltworker__Storage__Provider"] = "Postgres";
                settings["Moltworker__Storage__ConnectionString"] = postgres;
            }

            // --host-env NAME=VALUE (repeatable): an environment variable for the host only, not this process (the client
            // and the fake model), e.g. DOTNET_TieredPGO=0 to measure a runtime setting's effect on the host alone.
            for (var a = 0; a + 1 < args.Length; a++)
                if (args[a] == "--host-env" && args[a + 1].Split('=', 2) is [var envName, var envValue])
                    settings[envName] = envValue;

            var plugins = work.CreateSubdirectory("plugins");
            CopyFolder(paths.SamplePlugin, Path.Combine(plugins.FullName, "Moltworker.Plugins.Sample"));

            var startupMs = new List<double>();
            for (var i = 0; i < starts; i++)
            {
                using var probe = await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, plugins.FullName, $"start{i}", settings);
                startupMs.Add(probe.StartupMs);
                Console.WriteLine($"start {i + 1}: /healthz 200 after {probe.StartupMs:F0} ms");
            }

            using var host = await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, plugins.FullName, "turns", settings);
            using var http = new HttpClient { BaseAddress = host.BaseUrl };
            var memory = new MemorySamples(host, http, IntArg(args, "--memory-turns", MemorySamples.Late));
            // --mappings: the host's resident memory by kind of mapping at turn 1,000 and at the late sample, and what grew.
            var mappings = args.Contains("--mappings");
            Dictionary<string, long>? mappingsEarly = null, mappingsLate = null;
            int threadsEarly = 0, threadsLate = 0;
            async Task AfterTurnAsync(int done)
            {
                await memory.AfterTurnAsync(done);
                if (!mappings) return;
                if (done == MemorySamples.EarlyTurn)
                {
                    mappingsEarly = ProcessTreeMemory.Mappings(host.ProcessId);
                    threadsEarly = ProcessTreeMemory.Threads(host.ProcessId);
                }
                else if (done == memory.LateTurn)
                {
                    mappingsLate = ProcessTreeMemory.Mappings(host.ProcessId);
                    threadsLate = ProcessTreeMemory.Threads(host.ProcessId);
                }
            }
            await TurnAsync(http, 0); // the first turn checks the whole path
            for (var i = 1; i < warmup; i++)
            {
                await TurnAsync(http, i);
                await AfterTurnAsync(i + 1);
            }

            if (telegram is not null && !telegram.Commands.Any()) // registered in the background after start
                throw new InvalidOperationException("--telegram: the host did not register its commands with the fake Bot API during the warm-up");
            var samples = new double[turns];
            var server = new double[turns];
            var total = Stopwatch.StartNew();
            var machine = CpuShare.Now();
            var hostCpu = host.CpuTime();
            var jitBefore = await JitWarmup.JitMethodsAsync(http);
            for (var i = 0; i < turns; i++)
            {
                var t = Stopwatch.GetTimestamp();
                server[i] = await TurnAsync(http, warmup + i);
                samples[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                await AfterTurnAsync(warmup + i + 1);
            }
            total.Stop();
            var cpu = CpuShare.Now().Since(machine);
            var hostCpuMs = (host.CpuTime() - hostCpu).TotalMilliseconds / turns;
            var jitMeasured = await JitWarmup.JitMethodsAsync(http) - jitBefore ?? -1; // the host's JIT still at work shows in the p99
            // Memory is read after 1,000 and after 10,000 turns: the unmeasured rest of the 10,000 runs here.
            for (var n = warmup + turns; n < memory.LateTurn; n++)
            {
                await TurnAsync(http, n);
                await AfterTurnAsync(n + 1);
            }

            if (slowest > 0)
            {
                // Turn numbers show whether slow turns are periodic (a WAL checkpoint every n turns) or scattered.
                var slow = Enumerable.Range(0, turns).OrderByDescending(i => samples[i]).Take(slowest).Order();
                Console.WriteLine("slowest turns (turn: client/server ms): " + string.Join(", ", slow.Select(i => $"{i}: {samples[i]:0.0}/{server[i]:0.0}")));
            }
            Array.Sort(server);
            Array.Sort(samples);
            var (serverP50, serverP99) = (Percentile(server, 0.50), Percentile(server, 0.99));
            Console.WriteLine($"client side: p90 {Percentile(samples, 0.9):F2} ms, p99.9 {Percentile(samples, 0.999):F2} ms, max {samples[^1]:F2} ms");
            Console.WriteLine($"server side (Server-Timing): p50 {serverP50:F2} ms, p99 {serverP99:F2} ms, max {server[^1]:F2} ms");
            var p50 = Percentile(samples, 0.50);
            var p99 = Percentile(samples, 0.99);
            var perSecond = turns / total.Elapsed.TotalSeconds;
            var startup = Median(startupMs);
            Console.WriteLine($"startup (median of {starts}): {startup:F0} ms");
            Console.WriteLine($"turn with one tool call, {turns} turns after {warmup} warm-up (the host's JIT compiled {jitMeasured} methods during them): p50 {p50:F2} ms, p99 {p99:F2} ms, {perSecond:F0} turns/s " +
                              $"(CPU stolen by the hypervisor {cpu.StealPercent:F0} %, idle {cpu.IdlePercent:F0} %; the host's CPU {hostCpuMs:F1} ms a turn)");
            Console.WriteLine($"host memory after 1,000 turns: {memory.Early}; after 10,000 turns: {memory.LateSample}");
            if (mappingsEarly is not null && mappingsLate is not null)
            {
                Console.WriteLine("resident after 1,000 turns by mapping: " + string.Join(", ",
                    mappingsEarly.OrderByDescending(m => m.Value).Take(8).Select(m => $"{m.Key} {m.Value / 1024.0:0.0}")) + " MB");
                Console.WriteLine($"resident growth by mapping, turn 1,000 to {memory.LateTurn:N0}: {ProcessTreeMemory.Growth(mappingsEarly, mappingsLate)}");
                Console.WriteLine($"host threads at turn 1,000: {threadsEarly}; at turn {memory.LateTurn:N0}: {threadsLate}");
            }
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["bench"] = "kernel",
                ["telegram"] = telegram is not null,
                ["startup_ms"] = Math.Round(startup, 1),
                ["turn_p50_ms"] = Math.Round(p50, 3),
                ["turn_p99_ms"] = Math.Round(p99, 3),
                ["turns_per_s"] = Math.Round(perSecond, 1),
                ["rss_mb"] = memory.Early.RssMb,
                ["rss_mb_10k"] = memory.LateSample.RssMb,
                ["heap_mb"] = memory.Early.HeapAfterGcMb,
                ["heap_mb_10k"] = memory.LateSample.HeapAfterGcMb,
                ["gen0_budget_mb"] = memory.LateSample.Gen0BudgetMb,
                ["server_turn_p50_ms"] = Math.Round(serverP50, 3),
                ["server_turn_p99_ms"] = Math.Round(serverP99, 3),
                ["cpu_steal_pct"] = Math.Round(cpu.StealPercent, 1),
                ["host_cpu_ms_per_turn"] = Math.Round(hostCpuMs, 2),
                ["jit_methods_measured"] = jitMeasured,
            }));
            return 0;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<double> TurnAsync(HttpClient http, int i)
    {
        using var response = await http.PostAsJsonAsync("/api/chat", new { chatId = $"bench{i % 64}", text = "How many words are in 'one two three'?" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("isError").GetBoolean() || body.GetProperty("text").GetString() != "The text has 3 words.")
            throw new InvalidOperationException($"unexpected answer: {body}");
        var timing = response.Headers.TryGetValues("Server-Timing", out var values) ? values.First() : "turn;dur=0";
        return double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

    private static string? StringArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }
}
