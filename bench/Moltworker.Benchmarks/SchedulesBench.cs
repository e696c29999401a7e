using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Schedules;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Schedules;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>schedules</c>: what 10,000 schedules cost and how punctually one fires. (1) Memory: the built host as a process,
/// its RSS with an empty store and with <c>--count</c> (10,000) schedules added through <c>POST /api/schedules</c> and
/// the host restarted (so only what the schedules cost at rest counts). (2) Idle CPU of both hosts over
/// <c>--idle-seconds</c> (60) each, from /proc/PID/stat, with nothing due: the difference is what the schedules cost. (3) Due → start latency in process on the real
/// clock: the scheduler over a SQLite store holding the 10,000 schedules plus <c>--due</c> (50) one-offs due 100 ms
/// apart; latency is the clock at the moment the run reaches the chat service minus the due time.
/// Targets: under 20 MB for 10,000 schedules, under 1 % of a core idle, under 100 ms due → start.
/// </summary>
public sealed class SchedulesBench : IBench
{
    public string Name => "schedules";

    public async Task<int> RunAsync(string[] args)
    {
        var count = Arg(args, "--count", 10_000);
        var idleSeconds = Arg(args, "--idle-seconds", 60);
        var dueRuns = Arg(args, "--due", 50);
        var paths = BenchPaths.Find();
        var work = Directory.CreateTempSubdirectory("mw-schedules-bench-");
        try
        {
            await using var model = await FakeOpenAIServer.StartAsync();
            var plugins = work.CreateSubdirectory("plugins").FullName;
            var settings = new Dictionary<string, string> { ["Moltworker__Schedules__MaxPerChat"] = "20" };

            double emptyRss, emptyCpuPercent;
            using (var empty = await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, plugins, "empty", settings))
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                emptyRss = empty.RssMb();
                emptyCpuPercent = await IdleCpuPercentAsync(empty.ProcessId, idleSeconds);
            }

            var fill = Stopwatch.StartNew();
            using (var filling = await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, plugins, "full", settings))
            {
                using var http = new HttpClient { BaseAddress = filling.BaseUrl };
                await FillAsync(http, count);
            }
            var fillSeconds = fill.Elapsed.TotalSeconds;
            var database = Path.Combine(work.FullName, "data-full", "moltworker.db");

            double fullRss, cpuPercent;
            using (var full = await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, plugins, "full", settings))
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                fullRss = full.RssMb();
                cpuPercent = await IdleCpuPercentAsync(full.ProcessId, idleSeconds);
            }
            SqliteConnection.ClearAllPools();

            var latencies = await DueLatencyAsync(database, dueRuns);
            latencies.Sort();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                bench = Name,
                at = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                schedules = count,
                fillSeconds = Math.Round(fillSeconds, 1),
                databaseMb = Math.Round(new FileInfo(database).Length / 1048576.0, 2),
                emptyRssMb = Math.Round(emptyRss, 1),
                fullRssMb = Math.Round(fullRss, 1),
                schedulesRssMb = Math.Round(fullRss - emptyRss, 1),
                idleSeconds,
                emptyIdleCpuPercentOfACore = Math.Round(emptyCpuPercent, 3),
                fullIdleCpuPercentOfACore = Math.Round(cpuPercent, 3),
                schedulesIdleCpuPercentOfACore = Math.Round(cpuPercent - emptyCpuPercent, 3),
                dueRuns = latencies.Count,
                dueToStartP50Ms = Math.Round(Percentile(latencies, 0.5), 1),
                dueToStartP99Ms = Math.Round(Percentile(latencies, 0.99), 1),
                dueToStartMaxMs = Math.Round(latencies[^1], 1),
            }));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Daily cron schedules in 20-per-chat groups, each at least two hours away, so nothing is due while idle.</summary>
    private static async Task FillAsync(HttpClient http, int count)
    {
        var hour = DateTime.UtcNow.Hour;
        for (var i = 0; i < count; i++)
        {
            var cron = $"{i % 60} {(hour + 3 + i % 18) % 24} * * *";
            using var response = await http.PostAsJsonAsync("/api/schedules",
                new { channel = "bench", chatId = (i / 20).ToString(CultureInfo.InvariantCulture), when = cron, what = "/briefing" });
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/schedules: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<List<double>> DueLatencyAsync(string database, int dueRuns)
    {
        var db = SqliteDatabase.ForFile(database, [.. CoreMigrations.All, .. ScheduleMigrations.All]);
        var store = new SqliteScheduleStore(db);
        var options = new SchedulesOptions();
        var changes = new ScheduleChanges();
        var service = new ScheduleService(store, new ScheduleTimingParser(options), changes, Options.Create(options), TimeProvider.System);
        var chat = new TimingChat(dueRuns);
        var runner = new ScheduleRunner(chat, [], new EventBus(NullLogger<EventBus>.Instance), Options.Create(options), TimeProvider.System, NullLogger<ScheduleRunner>.Instance);
        using var scheduler = new Scheduler(store, runner, changes, TimeProvider.System, NullLogger<Scheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        var first = DateTimeOffset.UtcNow.AddSeconds(2);
        for (var i = 0; i < dueRuns; i++)
        {
            var at = first.AddMilliseconds(100 * i);
            await service.AddAsync(new ChatAddress("bench-due", (i / 20).ToString(CultureInfo.InvariantCulture)), ScheduleTiming.ForOnce(at), $"run {at.ToUnixTimeMilliseconds()}", default);
        }
        await chat.All.WaitAsync(TimeSpan.FromMinutes(2));
        await scheduler.StopAsync(CancellationToken.None);
        return chat.Latencies;
    }

    /// <summary>Records, for each run, the real clock at the moment it reached the chat service minus its due time.</summary>
    private sealed class TimingChat(int expected) : IChatService
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<double> Latencies { get; } = [];
        public Task All => _all.Task;

        public Task<ChatReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var due = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(message.Text[4..], CultureInfo.InvariantCulture));
            lock (Latencies)
            {
                Latencies.Add((now - due).TotalMilliseconds);
                if (Latencies.Count == expected) _all.TrySetResult();
            }
            return Task.FromResult(new ChatReply("ok"));
        }

        public Task<ChatReply> RunCommandAsync(string name, IReadOnlyDictionary<string, object?> arguments, ChatAddress address, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task ResetAsync(ChatAddress address, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The process's CPU time over <paramref name="seconds"/> of wall time, as a percentage of one core.</summary>
    private static async Task<double> IdleCpuPercentAsync(int pid, int seconds)
    {
        var before = CpuSeconds(pid);
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        return (CpuSeconds(pid) - before) / watch.Elapsed.TotalSeconds * 100;
    }

    /// <summary>User plus system CPU time of a process so far, in seconds (/proc/PID/stat fields 14 and 15, in clock ticks).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / 100.0;
    }

    private static int Arg(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
