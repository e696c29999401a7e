using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Tasks;

namespace Moltworker.EndToEnd.Tests.Crash;

/// <summary>Real processes: an in-doubt side effect that cannot reconcile pauses the task until the user decides
/// (<c>moltworker tasks resolve</c>); the CLI verbs read tasks, transactions and usage from the same database.</summary>
public sealed class InDoubtAndCliTests(CrashServers servers) : IClassFixture<CrashServers>
{
    [Fact]
    public async Task An_in_doubt_append_pauses_the_task_and_runs_once_after_the_user_skips_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mw-doubt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var llm = new Uri(servers.Llm.BaseUrl);
            var crashed = await CrashHostProcess.RunAsync(dir, llm, servers.Ledger.BaseUrl, ask: CrashServers.AppendScript, crashAt: "after-dispatch:1");
            Assert.True(crashed.Killed, crashed.Output + crashed.Errors);

            var paused = await CrashHostProcess.RunAsync(dir, llm, servers.Ledger.BaseUrl);
            Assert.Equal(0, paused.ExitCode);
            var (task, journal) = await CrashResumeTests.ReadAsync(dir);
            Assert.Equal(DurableTaskStatus.Paused, task.Status);
            Assert.Contains("cannot tell whether it took effect", task.LastError);
            var key = Assert.Single(journal).Key;
            Assert.Equal(1, servers.Ledger.Requests[key]); // ran before the crash, not again

            var list = await MoltworkerAsync(dir, "tasks", "list", "--status", "Paused");
            Assert.Contains(task.Id, list.Output);
            var resolve = await MoltworkerAsync(dir, "tasks", "resolve", task.Id, "--skip");
            Assert.True(resolve.ExitCode == 0, resolve.Output + resolve.Errors);
            Assert.Contains("1 in-doubt call(s) skipped", resolve.Output);

            var resumed = await CrashHostProcess.RunAsync(dir, llm, servers.Ledger.BaseUrl);
            Assert.Equal(0, resumed.ExitCode);
            (task, _) = await CrashResumeTests.ReadAsync(dir);
            Assert.Equal(DurableTaskStatus.Completed, task.Status);
            Assert.StartsWith("append finished: Skipped: the process stopped while this call ran", task.FinalText);
            Assert.Equal(1, servers.Ledger.Requests[key]); // nothing ran twice silently
        }
        finally { Cleanup(dir); }
    }

    [Fact]
    public async Task Cli_verbs_show_tasks_journal_transactions_and_usage()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mw-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = await CrashHostProcess.RunAsync(dir, new Uri(servers.Llm.BaseUrl), servers.Ledger.BaseUrl, ask: "run the ledger script");
            Assert.True(run.ExitCode == 0, run.Output + run.Errors);
            var (task, _) = await CrashResumeTests.ReadAsync(dir);

            var list = await MoltworkerAsync(dir, "tasks", "list");
            Assert.Contains(task.Id, list.Output);
            Assert.Contains("1 tasks: 0 running, 0 paused, 1 completed, 0 failed; auto-resume rate 0 per task", list.Output);

            var show = await MoltworkerAsync(dir, "tasks", "show", task.Id);
            Assert.Contains("Completed", show.Output);
            Assert.Contains("ledger_write", show.Output);
            Assert.Contains("Model calls: 4", show.Output);

            var tx = await MoltworkerAsync(dir, "transactions", "--tool", "ledger_write");
            Assert.Equal(4, tx.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header + three writes
            Assert.Contains("{\"item\":\"x\"}", tx.Output);

            var usage = await MoltworkerAsync(dir, "usage", "--by", "Chat");
            Assert.Contains("crash:1", usage.Output);
            Assert.Contains("Total: 4 calls", usage.Output);
        }
        finally { Cleanup(dir); }
    }

    private static void Cleanup(string dir)
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }

    private static async Task<CrashHostProcess.Run> MoltworkerAsync(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "moltworker.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add($"--Moltworker:DataDirectory={dir}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new CrashHostProcess.Run(process.ExitCode, await output, await errors);
    }
}
