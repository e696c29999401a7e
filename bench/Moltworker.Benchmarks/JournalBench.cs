using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Journal;
using Moltworker.Testing.Ledger;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Benchmarks;

/// <summary>
/// <c>journal</c>: latency of one intent + result commit pair on SQLite (p50/p99 of 2,000), and the time from process
/// start to the first resumed call after the host was killed with SIGKILL mid-task (median of 3; the crash host resumes
/// the task at start and its first new call reaches the in-test ledger).
/// </summary>
public sealed class JournalBench : IBench
{
    public string Name => "journal";

    public async Task<int> RunAsync(string[] args)
    {
        var (p50, p99) = await CommitLatencyAsync(2_000);
        Console.WriteLine($"intent+result commit: p50 {p50:F3} ms, p99 {p99:F3} ms");
        var resume = new List<double>();
        for (var i = 0; i < (args.Contains("--no-resume") ? 0 : 3); i++) resume.Add(await ResumeAfterKillAsync());
        resume.Sort();
        Console.WriteLine($"process start to first resumed call: {string.Join(", ", resume.Select(r => $"{r:F0} ms"))}");
        Console.WriteLine(JsonSerializer.Serialize(new { bench = "journal", commit_p50_ms = Math.Round(p50, 3), commit_p99_ms = Math.Round(p99, 3), resume_ms = Math.Round(resume[1], 1) }));
        return 0;
    }

    private static async Task<(double P50, double P99)> CommitLatencyAsync(int count)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mw-bench-journal-" + Guid.NewGuid().ToString("N"));
        var db = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = dir }), [CoreMigrations.V1, JournalMigrations.V1]);
        var journal = new SqliteToolJournal(db, new JournalWriteGate(db));
        var samples = new double[count];
        for (var i = -100; i < count; i++)
        {
            var key = $"bench:1:c{i}";
            var started = Stopwatch.GetTimestamp();
            await journal.RecordIntentAsync(new JournalEntry { Key = key, TaskId = "bench", Step = 1, CallId = $"c{i}", Tool = "t", Arguments = "{\"q\":\"x\"}", StartedAt = DateTimeOffset.UtcNow }, default);
            await journal.RecordResultAsync(key, "bench", ToolResult.Ok("result text of a typical size, a few hundred characters at most"), 1, DateTimeOffset.UtcNow, default);
            if (i >= 0) samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, true); } catch (IOException) { }
        Array.Sort(samples);
        return (samples[count / 2], samples[(int)(count * 0.99)]);
    }

    private static async Task<double> ResumeAfterKillAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mw-bench-resume-" + Guid.NewGuid().ToString("N"));
        await using var llm = await FakeOpenAIServer.StartAsync();
        llm.RecordRequests = false;
        llm.Responder = LedgerScript.Reply;
        await using var ledger = await LedgerServer.StartAsync();
        try
        {
            var killed = await RunHostAsync(dir, llm, ledger, ask: "run the ledger script", crashAt: "after-intent:4", firstCall: null);
            if (!killed.Contains("CRASHING", StringComparison.Ordinal)) throw new InvalidOperationException("the crash host was not killed: " + killed);
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ledger.OnRequest = _ => first.TrySetResult();
            var started = Stopwatch.GetTimestamp();
            var run = RunHostAsync(dir, llm, ledger, ask: null, crashAt: null, firstCall: first.Task);
            await first.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await run;
            return ms;
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static async Task<string> RunHostAsync(string dir, FakeOpenAIServer llm, LedgerServer ledger, string? ask, string? crashAt, Task? firstCall)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "Moltworker.CrashHost.dll"), $"--Moltworker:DataDirectory={dir}", $"--Moltworker:Llm:BaseUrl={llm.BaseUrl}",
                     "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=bench", $"--Moltworker:Plugins:ledger:BaseUrl={ledger.BaseUrl}",
                     "--Moltworker:Plugins:Watch=false", $"--Moltworker:Plugins:Directory={Path.Combine(dir, "plugins")}",
                 })
            start.ArgumentList.Add(a);
        start.Environment["MW_ASK"] = ask ?? "";
        start.Environment["MW_CRASH_AT"] = crashAt ?? "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return await output + await errors;
    }
}
