using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Moltworker.EndToEnd.Tests.Crash;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Journal;

namespace Moltworker.EndToEnd.Tests.Agents;

/// <summary>
/// Issue 15's crash safety: the crash host runs a task whose agent delegates to a writer agent, and the writer makes two
/// side effects against the in-test ledger. The host kills itself with SIGKILL at each journal boundary inside the child
/// (and just after it), is started again on the same data folder, and the task must end with one answer, the baseline's,
/// no side effect applied twice, no completed call sent again, no finished model step asked again, and one child thread.
/// </summary>
public sealed class DelegationCrashTests(DelegationCrashServers servers) : IClassFixture<DelegationCrashServers>
{
    private const string Expected = "boss: wrote ok:x, ok:y";

    public static TheoryData<string, string[]> Boundaries => new()
    {
        // Journal writes in order: intent d1 (the parent's ask_writer), intent w1, result w1, intent w2, result w2, result d1.
        { "before the child's first intent", ["before-intent:2"] },
        { "after the child's first intent", ["after-intent:2"] },
        { "after the child's first dispatch", ["after-dispatch:1"] },
        { "after the child's first result", ["after-result:1"] },
        { "before the child's second intent", ["before-intent:3"] },
        { "after the child's second intent", ["after-intent:3"] },
        { "after the child's second dispatch", ["after-dispatch:2"] },
        { "after the child's second result", ["after-result:2"] },
        { "after the child ended, before its parent's result", ["after-dispatch:3"] },
        { "after its parent's result", ["after-result:3"] },
        { "again while the child resumes", ["after-dispatch:2", "after-dispatch:1"] },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task A_child_killed_at_a_journal_boundary_resumes_and_its_parent_finishes_once_without_duplicate_side_effects(string name, string[] crashes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mw-delegation-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            var settings = new[] { $"--Moltworker:Prompts:Directory={DelegationCrashServers.WritePrompts(dir)}" };
            var (boss, writer) = (servers.BossCalls, servers.WriterCalls);
            var runs = new List<CrashHostProcess.Run>();
            Dictionary<string, string>? committed = null;
            var inDoubt = new HashSet<string>();
            for (var i = 0; i <= crashes.Length; i++)
            {
                var run = await CrashHostProcess.RunAsync(dir, new Uri(servers.Llm.BaseUrl), servers.Ledger.BaseUrl,
                    ask: i == 0 ? "delegate the writing" : null, crashAt: i < crashes.Length ? crashes[i] : null, settings: settings);
                runs.Add(run);
                if (i < crashes.Length) Assert.True(run.Killed, $"{name}: expected a kill at {crashes[i]}, got exit {run.ExitCode}: {run.Output}\n{run.Errors}");
                var journal = (await ReadAsync(dir)).Journal;
                committed ??= journal.Where(e => e.HasResult).ToDictionary(e => e.Key, e => e.Content!);
                inDoubt.UnionWith(journal.Where(e => !e.HasResult).Select(e => e.Key));
            }
            Assert.True(runs[^1].ExitCode == 0, $"{name}: the resuming host failed: {runs[^1].Output}\n{runs[^1].Errors}");

            var (task, _, threads) = await ReadAsync(dir);
            Assert.Equal(DurableTaskStatus.Completed, task.Status);
            Assert.Equal(Expected, task.FinalText);
            // No finished model step was asked again: the boss asked twice, the writer three times, as without a crash.
            Assert.Equal((2, 3), (servers.BossCalls - boss, servers.WriterCalls - writer));
            // One child thread, completed with its answer, under the task's root.
            var child = Assert.Single(threads, t => t.Id != task.Id);
            Assert.Equal((TaskThreadStatus.Completed, "wrote ok:x, ok:y", "writer", "d1", (string?)null), (child.Status, child.Answer, child.Agent, child.ToolCallId, child.ParentId));
            Assert.Equal(TaskThreadStatus.Completed, Assert.Single(threads, t => t.Id == task.Id).Status);

            var requests = servers.Ledger.Requests.Where(kv => kv.Key.StartsWith(task.Id + ":", StringComparison.Ordinal)).ToDictionary();
            var effects = servers.Ledger.Effects.Where(kv => kv.Key.StartsWith(task.Id + ":", StringComparison.Ordinal)).ToDictionary();
            // 0 duplicate side effects: two writes, each applied once, both keyed under the child's thread.
            Assert.Equal(2, effects.Count);
            Assert.All(effects, kv => Assert.Equal(1, kv.Value));
            Assert.All(effects.Keys, key => Assert.StartsWith($"{task.Id}:{child.Id}:", key));
            // A result committed before the crash was never sent again; only a call in doubt at a crash may have been.
            foreach (var key in committed!.Keys.Where(requests.ContainsKey)) Assert.Equal(1, requests[key]);
            foreach (var (key, count) in requests) Assert.True(count == 1 || inDoubt.Contains(key), $"{name}: {key} ran {count} times");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static async Task<(DurableTask Task, IReadOnlyList<JournalEntry> Journal, IReadOnlyList<TaskThread> Threads)> ReadAsync(string dir)
    {
        var db = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = dir }), [.. CoreMigrations.All, JournalMigrations.V1, ThreadMigrations.V1]);
        var gate = new JournalWriteGate(db);
        var task = Assert.Single(await new SqliteTaskStore(db, TimeProvider.System, gate).ListAsync(null, 10, default));
        return (task, await new SqliteToolJournal(db, gate).ListAsync(task.Id, default), await new SqliteTaskThreadStore(db, gate).ListAsync(task.Id, default));
    }
}
