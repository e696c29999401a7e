using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Moltworker.Testing.Ledger;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Postgres;
using Moltworker.Testing.Telegram;

namespace Moltworker.Benchmarks.Cluster;

/// <summary>
/// <c>cluster</c>: hosts on one PostgreSQL database (<c>MOLTWORKER_TEST_POSTGRES</c>, as <c>eng/postgres start</c> prints
/// it; each part gets a fresh database). (1) One host: the <c>kernel</c> benchmark's one-tool turn over POST /api/chat,
/// p50/p99 of <c>--turns</c> (5,000) after at least <c>--warmup</c> turns (3,000), as the kernel benchmark, and then until
/// the host's JIT is quiet (<see cref="JitWarmup"/>; <c>--fixed-warmup</c> stops at <c>--warmup</c>). (2) Turns/s with <c>--clients</c> concurrent clients (16) on one host, then the same
/// clients split over two hosts. (3) Takeover: a crash host is killed with SIGKILL in the middle of the ledger script
/// while a second one runs; from the kill to the survivor's first tool call (the resumed task), <c>--runs</c> times.
/// (4) Telegram leader failover: two hosts long-poll the in-test Bot API; the leader is killed with SIGKILL, an update
/// is queued at once, and the time until it is answered (by the new leader) is measured, <c>--runs</c> times.
/// Leases are the defaults (10 s, renewed every 3 s, swept every 1 s) unless <c>--lease</c>/<c>--renew</c>/<c>--sweep</c>
/// (seconds). <c>--turns-only</c> stops after (1), to profile the turn, and prints its own JSON line. <c>--set KEY=VALUE</c>
/// (repeatable) passes a setting to every host as an environment variable, e.g. <c>--set Moltworker__Events__Store=false</c>.
/// </summary>
public sealed class ClusterBench : IBench
{
    public string Name => "cluster";

    private static string PgOptions = "";

    /// <summary>The host's own time of part (1)'s turns (Server-Timing), beside the client's.</summary>
    private static double HostP50 = double.NaN, HostP99 = double.NaN;
    private static CpuUse Cpu;
    private static double HostCpuMs = double.NaN, BenchCpuMs = double.NaN;
    private static JitWarmup.Result Warmup;
    private static bool FixedWarmup;
    private static long JitMethodsMeasured = -1;

    public async Task<int> RunAsync(string[] args)
    {
        var pg = Array.IndexOf(args, "--pg");
        if (pg >= 0 && pg + 1 < args.Length) PgOptions = ";" + args[pg + 1];
        if (TestPostgres.AdminConnectionString is null)
        {
            Console.Error.WriteLine($"cluster: {TestPostgres.Variable} is not set. {TestPostgres.HowToStart}");
            return 2;
        }
        FixedWarmup = args.Contains("--fixed-warmup");
        var turns = IntArg(args, "--turns", 5000);
        var warmup = IntArg(args, "--warmup", 3000);
        var clients = IntArg(args, "--clients", 16);
        var runs = IntArg(args, "--runs", 3);
        var lease = TimeSpan.FromSeconds(IntArg(args, "--lease", 10));
        var renew = TimeSpan.FromSeconds(IntArg(args, "--renew", 3));
        var sweep = TimeSpan.FromSeconds(IntArg(args, "--sweep", 1));
        var paths = BenchPaths.Find();
        var work = Directory.CreateTempSubdirectory("mw-cluster-bench-");
        var cluster = new Dictionary<string, string>
        {
            ["Moltworker__Cluster__LeaseDuration"] = lease.ToString("c", CultureInfo.InvariantCulture),
            ["Moltworker__Cluster__RenewEvery"] = renew.ToString("c", CultureInfo.InvariantCulture),
            ["Moltworker__Cluster__SweepEvery"] = sweep.ToString("c", CultureInfo.InvariantCulture),
        };
        var settings = new List<string>();
        for (var i = Array.IndexOf(args, "--set"); i >= 0 && i + 1 < args.Length; i = Array.IndexOf(args, "--set", i + 2))
        {
            var (key, value) = (args[i + 1].Split('=', 2)[0], args[i + 1].Split('=', 2).ElementAtOrDefault(1) ?? "");
            cluster[key] = value;
            settings.Add(args[i + 1]);
        }
        try
        {
            Console.WriteLine($"cluster bench {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, lease {lease.TotalSeconds:0} s, renew every {renew.TotalSeconds:0} s, sweep every {sweep.TotalSeconds:0} s");
            var (p50, p99, sequential) = await OneHostTurnsAsync(paths, work, cluster, warmup, turns);
            Console.WriteLine($"one host, one-tool turn ({turns} after {Warmup}; it compiled {JitMethodsMeasured} during the measured turns): p50 {p50:F2} ms, p99 {p99:F2} ms, {sequential:F0} turns/s sequential " +
                              $"(the host's own time: p50 {HostP50:F2} ms, p99 {HostP99:F2} ms; CPU stolen by the hypervisor {Cpu.StealPercent:F0} %, idle {Cpu.IdlePercent:F0} %, " +
                              $"all processes' CPU {1000 * Cpu.BusySeconds / turns:F1} ms a turn: the host {HostCpuMs:F1}, this process (client and " +
                              $"model stand-in) {BenchCpuMs:F1}, the rest (PostgreSQL) {1000 * Cpu.BusySeconds / turns - HostCpuMs - BenchCpuMs:F1})");
            if (args.Contains("--turns-only"))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["bench"] = "cluster",
                    ["part"] = "turns",
                    ["at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    ["turns"] = turns,
                    ["warmup"] = Warmup.Turns,
                    ["jit_quiet"] = Warmup.Quiet,
                    ["jit_methods_measured"] = JitMethodsMeasured,
                    ["sweep_s"] = sweep.TotalSeconds,
                    ["pg_options"] = PgOptions.TrimStart(';'),
                    ["settings"] = string.Join(' ', settings),
                    ["turn_p50_ms"] = Math.Round(p50, 3),
                    ["turn_p99_ms"] = Math.Round(p99, 3),
                    ["turns_per_s_sequential"] = Math.Round(sequential, 1),
                    ["host_turn_p50_ms"] = Math.Round(HostP50, 3),
                    ["host_turn_p99_ms"] = Math.Round(HostP99, 3),
                    ["cpu_steal_pct"] = Math.Round(Cpu.StealPercent, 1),
                    ["cpu_idle_pct"] = Math.Round(Cpu.IdlePercent, 1),
                    ["cpu_ms_per_turn"] = Math.Round(1000 * Cpu.BusySeconds / turns, 2),
                    ["host_cpu_ms_per_turn"] = Math.Round(HostCpuMs, 2),
                    ["bench_cpu_ms_per_turn"] = Math.Round(BenchCpuMs, 2),
                }));
                return 0;
            }
            var one = await ConcurrentTurnsAsync(paths, work, cluster, hosts: 1, clients, turns);
            var two = await ConcurrentTurnsAsync(paths, work, cluster, hosts: 2, clients, turns);
            Console.WriteLine($"{clients} concurrent clients, {turns} turns: one host {one:F0} turns/s, two hosts {two:F0} turns/s");
            var takeovers = new List<double>();
            for (var i = 0; i < runs; i++) takeovers.Add(await TakeoverAsync(work, cluster));
            Console.WriteLine($"takeover after SIGKILL (kill -> first resumed call on the other host): {Summary(takeovers)} (target < lease + 1 s = {(lease.TotalSeconds + 1) * 1000:0} ms)");
            var failovers = await LeaderFailoverAsync(paths, work, cluster, runs);
            Console.WriteLine($"Telegram leader failover (kill -> next update answered by the new leader): {Summary(failovers)} (target < lease + 2 s = {(lease.TotalSeconds + 2) * 1000:0} ms)");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["bench"] = "cluster",
                ["lease_s"] = lease.TotalSeconds,
                ["turn_p50_ms"] = Math.Round(p50, 3),
                ["turn_p99_ms"] = Math.Round(p99, 3),
                ["turns_per_s_one_host"] = Math.Round(one, 1),
                ["turns_per_s_two_hosts"] = Math.Round(two, 1),
                ["takeover_max_ms"] = Math.Round(takeovers.Max(), 0),
                ["leader_failover_max_ms"] = Math.Round(failovers.Max(), 0),
            }));
            return 0;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<FakeOpenAIServer> OneToolModelAsync()
    {
        var model = await FakeOpenAIServer.StartAsync();
        model.RecordRequests = false;
        model.Responder = request => request.Messages.Count > 0 && request.Messages[^1].Role == "tool"
            ? ScriptedReply.Answer("The text has 3 words.")
            : ScriptedReply.Call("sample_word_count", """{"text":"one two three"}""");
        return model;
    }

    private static string Plugins(BenchPaths paths, DirectoryInfo work)
    {
        var plugins = Path.Combine(work.FullName, "plugins");
        var target = Path.Combine(plugins, "Moltworker.Plugins.Sample");
        if (Directory.Exists(target)) return plugins;
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(paths.SamplePlugin)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return plugins;
    }

    private static Dictionary<string, string> OnPostgres(Dictionary<string, string> cluster, string connectionString, Dictionary<string, string>? more = null) =>
        new(cluster.Concat(more ?? []))
        {
            ["Moltworker__Storage__Provider"] = "Postgres",
            ["Moltworker__Storage__ConnectionString"] = connectionString,
        };

    private static async Task<(double P50, double P99, double PerSecond)> OneHostTurnsAsync(BenchPaths paths, DirectoryInfo work, Dictionary<string, string> cluster, int warmup, int turns)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var model = await OneToolModelAsync();
        using var host = await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, Plugins(paths, work), "one", OnPostgres(cluster, database.ConnectionString + PgOptions));
        using var http = new HttpClient { BaseAddress = host.BaseUrl };
        var next = 0;
        Func<int, Task> runTurns = async count => { for (var end = next + count; next < end; next++) await TurnAsync(http, next); };
        Warmup = FixedWarmup
            ? await JitWarmup.FixedAsync(warmup, runTurns)
            : await JitWarmup.RunAsync(warmup, warmup + 20_000, runTurns, () => JitWarmup.JitMethodsAsync(http));
        var jitBefore = await JitWarmup.JitMethodsAsync(http);
        var samples = new double[turns];
        var hostSamples = new double[turns];
        var total = Stopwatch.StartNew();
        var cpu = CpuShare.Now();
        var (hostCpu, benchCpu) = (host.CpuTime(), Process.GetCurrentProcess().TotalProcessorTime);
        for (var i = 0; i < turns; i++)
        {
            var t = Stopwatch.GetTimestamp();
            hostSamples[i] = await TurnAsync(http, Warmup.Turns + i);
            samples[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        total.Stop();
        Cpu = CpuShare.Now().Since(cpu);
        JitMethodsMeasured = await JitWarmup.JitMethodsAsync(http) - jitBefore ?? -1;
        HostCpuMs = (host.CpuTime() - hostCpu).TotalMilliseconds / turns;
        BenchCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - benchCpu).TotalMilliseconds / turns;
        Array.Sort(samples);
        Array.Sort(hostSamples);
        HostP50 = Percentile(hostSamples, 0.5);
        HostP99 = Percentile(hostSamples, 0.99);
        return (Percentile(samples, 0.5), Percentile(samples, 0.99), turns / total.Elapsed.TotalSeconds);
    }

    private static async Task<double> ConcurrentTurnsAsync(BenchPaths paths, DirectoryInfo work, Dictionary<string, string> cluster, int hosts, int clients, int turns)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var model = await OneToolModelAsync();
        var started = new List<BenchHost>();
        try
        {
            for (var h = 0; h < hosts; h++)
                started.Add(await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, Plugins(paths, work), $"c{hosts}-{h}", OnPostgres(cluster, database.ConnectionString)));
            var https = started.Select(h => new HttpClient { BaseAddress = h.BaseUrl }).ToList();
            // Warm-up on every host, then the measured run: each client its own chat, alternating hosts.
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                for (var i = 0; i < 200; i++) await TurnAsync(https[c % hosts], c, $"w{hosts}-{c}");
            })));
            var next = -1;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < turns) await TurnAsync(https[c % hosts], c, $"m{hosts}-{c}");
            })));
            var perSecond = turns / watch.Elapsed.TotalSeconds;
            foreach (var http in https) http.Dispose();
            return perSecond;
        }
        finally
        {
            foreach (var h in started) h.Dispose();
        }
    }

    private static async Task<double> TakeoverAsync(DirectoryInfo work, Dictionary<string, string> cluster)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var llm = await FakeOpenAIServer.StartAsync();
        llm.RecordRequests = false;
        llm.Responder = LedgerScript.Reply;
        await using var ledger = await LedgerServer.StartAsync();
        var root = work.CreateSubdirectory("takeover-" + Guid.NewGuid().ToString("N")).FullName;
        long killedAt = 0;
        var resumed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        ledger.OnRequest = _ => { if (Volatile.Read(ref killedAt) != 0) resumed.TrySetResult(Stopwatch.GetTimestamp()); };
        var survivor = StartCrashHost(root, "survivor", llm, ledger, database.ConnectionString, cluster, ask: null, crashAt: null);
        var victim = StartCrashHost(root, "victim", llm, ledger, database.ConnectionString, cluster, ask: "run the ledger script", crashAt: "after-result:2");
        await victim.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
        var first = await resumed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await survivor.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (survivor.ExitCode != 0) throw new InvalidOperationException($"the surviving host failed with {survivor.ExitCode}");
        return Stopwatch.GetElapsedTime(killedAt, first).TotalMilliseconds;
    }

    private static Process StartCrashHost(string root, string name, FakeOpenAIServer llm, LedgerServer ledger, string postgres, Dictionary<string, string> cluster, string? ask, string? crashAt)
    {
        var data = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Moltworker.CrashHost.dll"), $"--Moltworker:DataDirectory={data}", $"--Moltworker:Llm:BaseUrl={llm.BaseUrl}",
                     "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=bench", $"--Moltworker:Plugins:ledger:BaseUrl={ledger.BaseUrl}",
                     "--Moltworker:Plugins:Watch=false", $"--Moltworker:Plugins:Directory={Path.Combine(data, "plugins")}",
                     "--Moltworker:Storage:Provider=Postgres", $"--Moltworker:Storage:ConnectionString={postgres}",
                 })
            start.ArgumentList.Add(a);
        foreach (var (key, value) in cluster) start.Environment[key] = value;
        start.Environment["MW_ASK"] = ask ?? "";
        start.Environment["MW_CRASH_AT"] = crashAt ?? "";
        start.Environment["MW_UNTIL_TASKS"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<List<double>> LeaderFailoverAsync(BenchPaths paths, DirectoryInfo work, Dictionary<string, string> cluster, int runs)
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var telegram = await TelegramBotApiServer.StartAsync();
        await using var model = await FakeOpenAIServer.StartAsync();
        model.RecordRequests = false;
        model.Responder = _ => ScriptedReply.Answer("pong");
        var settings = OnPostgres(cluster, database.ConnectionString, new Dictionary<string, string>
        {
            ["Moltworker__Telegram__BotToken"] = telegram.Token,
            ["Moltworker__Telegram__ApiRoot"] = telegram.ApiRoot,
            ["Moltworker__Telegram__PollTimeoutSeconds"] = "5",
            ["Moltworker__Telegram__RateLimitPerUser"] = "0",
            ["Moltworker__Telegram__ShowProgress"] = "false",
        });
        var plugins = Plugins(paths, work);
        var leader = await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, plugins, "leader-0", settings);
        await telegram.WaitUntilAsync(s => s.Calls("getUpdates") > 0, TimeSpan.FromSeconds(60));
        var times = new List<double>();
        try
        {
            for (var i = 0; i < runs; i++)
            {
                var follower = await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, plugins, $"leader-{i + 1}", settings);
                var answered = telegram.MessageCount;
                var killed = Stopwatch.GetTimestamp();
                leader.Dispose(); // SIGKILL
                telegram.EnqueueText(42, 42, "ping " + i);
                await telegram.WaitUntilAsync(s => s.MessageCount > answered, TimeSpan.FromSeconds(60));
                times.Add(Stopwatch.GetElapsedTime(killed).TotalMilliseconds);
                leader = follower; // the new leader, killed in the next round
            }
        }
        finally
        {
            leader.Dispose();
        }
        return times;
    }

    /// <summary>One turn; returns the host's own time for it (its <c>Server-Timing: turn;dur=</c>: from the accepted request
    /// to the answer, without the connection, the authentication and the response), or NaN.</summary>
    private static async Task<double> TurnAsync(HttpClient http, int i, string? chat = null)
    {
        using var response = await http.PostAsJsonAsync("/api/chat", new { chatId = chat ?? $"bench{i % 64}", text = "How many words are in 'one two three'?" });
        response.EnsureSuccessStatusCode();
        var host = double.NaN;
        if (response.Headers.TryGetValues("Server-Timing", out var timings)
            && timings.FirstOrDefault()?.Split("dur=") is [_, var dur]
            && double.TryParse(dur, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) host = ms;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (body.GetProperty("isError").GetBoolean() || body.GetProperty("text").GetString() != "The text has 3 words.")
            throw new InvalidOperationException($"unexpected answer: {body}");
        return host;
    }

    private static string Summary(List<double> ms) => $"median {ms.Order().ElementAt(ms.Count / 2):F0} ms, max {ms.Max():F0} ms over {ms.Count} runs";

    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
