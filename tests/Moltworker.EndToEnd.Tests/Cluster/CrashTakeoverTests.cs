using Microsoft.Extensions.AI;
using Moltworker.EndToEnd.Tests.Crash;
using Moltworker.EndToEnd.Tests.Postgres;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Stores;
using Moltworker.Testing.Postgres;

namespace Moltworker.EndToEnd.Tests.Cluster;

/// <summary>
/// Two crash hosts on one PostgreSQL database: one runs the ledger script (three parallel reads; two writes; a write and
/// a read; the answer) and is killed with SIGKILL at a journal boundary; the other, running all along, takes the task
/// over once its lease (2 s) expires and finishes it from the journal. No completed result is lost, no side effect runs
/// twice, and the transcript equals the uninterrupted run's.
/// </summary>
public sealed class CrashTakeoverTests(CrashServers servers) : IClassFixture<CrashServers>
{
    public static TheoryData<string, string> Boundaries => new()
    {
        { "before the intent", "before-intent:4" },
        { "after the intent", "after-intent:4" },
        { "after dispatch", "after-dispatch:4" },
        { "after the result commit", "after-result:4" },
        { "after 2 of 3 parallel calls", "after-result:2" },
        { "before the turn is kept", "before-keep:1" },
        { "after the turn is kept", "after-keep:1" },
    };

    [PostgresTheory]
    [MemberData(nameof(Boundaries))]
    public async Task The_other_host_finishes_a_task_whose_host_was_killed_at_a_journal_boundary(string name, string crashAt)
    {
        var baseline = await servers.Baseline;
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var root = Path.Combine(Path.GetTempPath(), "mw-takeover-" + Guid.NewGuid().ToString("N"));
        try
        {
            var llm = new Uri(servers.Llm.BaseUrl);
            // The survivor runs first and waits for one task to exist and finish; the victim starts the task and dies.
            var survivor = ClusterCrashHost.Start(root, "survivor", llm, servers.Ledger.BaseUrl, database.ConnectionString, untilTasks: 1);
            var victim = ClusterCrashHost.Start(root, "victim", llm, servers.Ledger.BaseUrl, database.ConnectionString, ask: "run the ledger script", crashAt: crashAt);
            var killed = await victim.ExitAsync();
            Assert.True(killed.Killed, $"{name}: expected a kill, got exit {killed.ExitCode}: {killed.Output}\n{killed.Errors}");
            var (atKill, journalAtKill) = await CrashResumeTests.ReadAsync(root, database.ConnectionString);
            Assert.Equal(DurableTaskStatus.Running, atKill.Status);
            var committed = journalAtKill.Where(e => e.HasResult).Select(e => e.Key).ToHashSet();
            var inDoubt = journalAtKill.Where(e => !e.HasResult).Select(e => e.Key).ToHashSet();

            var finished = await survivor.ExitAsync();
            Assert.True(finished.ExitCode == 0, $"{name}: the surviving host failed: {finished.Output}\n{finished.Errors}");

            var (task, _) = await CrashResumeTests.ReadAsync(root, database.ConnectionString);
            Assert.Equal(DurableTaskStatus.Completed, task.Status);
            Assert.Equal(baseline.Task.FinalText, task.FinalText);
            Assert.Equal(baseline.Transcript, await TranscriptAsync(database.ConnectionString));
            var requests = servers.Ledger.Requests.Where(kv => kv.Key.StartsWith(task.Id + ":", StringComparison.Ordinal)).ToDictionary();
            var effects = servers.Ledger.Effects.Where(kv => kv.Key.StartsWith(task.Id + ":", StringComparison.Ordinal)).ToDictionary();
            Assert.Equal(3, effects.Count);                                    // three writes, each applied once
            Assert.All(effects.Values, v => Assert.Equal(1, v));
            foreach (var key in committed) Assert.Equal(1, requests[key]);    // no completed result ran again
            foreach (var (key, count) in requests) Assert.True(count == 1 || inDoubt.Contains(key), $"{key} ran {count} times");
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    /// <summary>What the chat keeps, in the form of <see cref="CrashResumeTests"/>' baseline.</summary>
    private static async Task<IReadOnlyList<string>> TranscriptAsync(string postgres)
    {
        await using var pg = new PostgresDatabase(postgres, PostgresSchema.All);
        var messages = await new PostgresConversationStore(pg, TimeProvider.System).LoadAsync("crash:1", 100, default);
        return messages.Select(m => $"{m.Role.Value}|{m.Text}|" + string.Join(";", m.Contents.Select(c => c switch
        {
            FunctionCallContent call => $"call {call.CallId} {call.Name} {string.Join(",", (call.Arguments ?? new Dictionary<string, object?>()).Select(kv => $"{kv.Key}={kv.Value}"))}",
            FunctionResultContent result => $"result {result.CallId} {result.Result}",
            _ => "",
        }))).ToList();
    }
}
