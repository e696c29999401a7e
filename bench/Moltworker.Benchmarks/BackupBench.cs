using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Moltworker.Storage.Sqlite.Backup;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>backup</c>: the built host as a process on a database grown to <c>--mb</c> (default 1,024) with a filler table;
/// turns (POST /api/chat, one model answer from the in-process fake server) run back to back. Turn latency (client side)
/// is measured quiet, then while an online backup of the same file runs (SQLite's backup API, as <c>moltworker backup</c>
/// does, at <see cref="BackupPace.Default"/>; <c>--pages N --pause R</c> set another <see cref="BackupPace"/>, and
/// <c>--unpaced</c> copies in one step as the first version did). Prints the backup's time, size and steps and both
/// p50/p99. Targets: backup under 10 s, p99 during the backup under 2× the quiet p99.
/// </summary>
public sealed class BackupBench : IBench
{
    public string Name => "backup";

    public async Task<int> RunAsync(string[] args)
    {
        var mb = args.SkipWhile(a => a != "--mb").Skip(1).Select(int.Parse).FirstOrDefault(1024);
        var quietTurns = args.SkipWhile(a => a != "--turns").Skip(1).Select(int.Parse).FirstOrDefault(1000);
        var pace = args.Contains("--unpaced") ? BackupPace.Unpaced : new BackupPace(
            args.SkipWhile(a => a != "--pages").Skip(1).Select(int.Parse).FirstOrDefault(BackupPace.Default.PagesPerStep),
            args.SkipWhile(a => a != "--pause").Skip(1).Select(a => double.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(BackupPace.Default.PauseRatio));
        var paths = BenchPaths.Find();
        var work = Directory.CreateTempSubdirectory("mw-backup-bench-");
        try
        {
            var data = work.CreateSubdirectory("data-backup");
            var database = Path.Combine(data.FullName, "moltworker.db");
            var fill = Stopwatch.StartNew();
            await FillAsync(database, mb);
            Console.Error.WriteLine($"filled {new FileInfo(database).Length / 1048576.0:F0} MB in {fill.Elapsed.TotalSeconds:F1} s");
            SqliteConnection.ClearAllPools();

            await using var model = await FakeOpenAIServer.StartAsync();
            model.RecordRequests = false;
            model.Responder = _ => ScriptedReply.Answer("ok");
            using var host = await BenchHost.StartAsync(paths.HostDll, model.BaseUrl, work, work.CreateSubdirectory("plugins").FullName, "backup");
            using var http = new HttpClient { BaseAddress = host.BaseUrl };
            for (var i = 0; i < 500; i++) await TurnAsync(http, i); // warm-up
            var quiet = new List<double>();
            for (var i = 0; i < quietTurns; i++) quiet.Add(await TurnAsync(http, i));

            var during = new List<double>();
            var backup = SqliteBackup.BackupAsync(database, Path.Combine(work.FullName, "backup.db"), pace);
            for (var i = 0; !backup.IsCompleted || during.Count < 50; i++) during.Add(await TurnAsync(http, i));
            var result = await backup;

            quiet.Sort();
            during.Sort();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                bench = Name,
                pagesPerStep = pace == BackupPace.Unpaced ? (int?)null : pace.PagesPerStep,
                pauseRatio = pace.PauseRatio,
                steps = result.Steps,
                databaseMb = Math.Round(result.Bytes / 1048576.0),
                backupSeconds = Math.Round(result.Elapsed.TotalSeconds, 2),
                quietP50Ms = Math.Round(Percentile(quiet, 0.5), 2),
                quietP99Ms = Math.Round(Percentile(quiet, 0.99), 2),
                duringTurns = during.Count,
                duringP50Ms = Math.Round(Percentile(during, 0.5), 2),
                duringP99Ms = Math.Round(Percentile(during, 0.99), 2),
                p99Ratio = Math.Round(Percentile(during, 0.99) / Percentile(quiet, 0.99), 2),
            }));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static async Task FillAsync(string database, int mb)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode = WAL;
            CREATE TABLE bench_filler (id INTEGER PRIMARY KEY, blob BLOB NOT NULL);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {mb * 256})
            INSERT INTO bench_filler (blob) SELECT randomblob(4000) FROM n;
            PRAGMA wal_checkpoint(TRUNCATE);
            """;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<double> TurnAsync(HttpClient http, int i)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync("/api/chat", new { chatId = $"bench{i % 64}", text = "hello" });
        response.EnsureSuccessStatusCode();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (elapsed > 500)
            Console.Error.WriteLine($"slow turn: {elapsed:F0} ms client side, Server-Timing {(response.Headers.TryGetValues("Server-Timing", out var v) ? v.First() : "none")}");
        return elapsed;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
