using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Tasks;
using Moltworker.EndToEnd.Tests.Postgres;
using Moltworker.Kernel.State;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Journal;
using Moltworker.Storage.Postgres.Stores;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Journal;
using Moltworker.Storage.Sqlite.Stores;
using Moltworker.Testing.Ledger;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Postgres;

namespace Moltworker.EndToEnd.Tests.Crash;

/// <summary>
/// A child host runs a scripted multi-batch task (three parallel reads; two writes; a write and a read; the answer)
/// against the in-test ledger, and kills itself with SIGKILL at a journal boundary or around keeping the turn. Restarted on the same database, the
/// task must finish with no completed result lost, no duplicate side effect, and the transcript of the uninterrupted run.
/// </summary>
public sealed class CrashResumeTests(CrashServers servers) : IClassFixture<CrashServers>
{
    public sealed record Outcome(string TaskId, DurableTask Task, IReadOnlyList<string> Transcript,
        Dictionary<string, string> CommittedBeforeFirstCrash, HashSet<string> InDoubtAtCrash, List<CrashHostProcess.Run> Runs,
        List<int> ModelCallsPerRun);

    public static TheoryData<string, string[]> Boundaries => new()
    {
        { "before the intent", ["before-intent:4"] },
        { "after the intent", ["after-intent:4"] },
        { "after dispatch", ["after-dispatch:4"] },
        { "after the result commit", ["after-result:4"] },
        { "after 2 of 3 parallel calls", ["after-result:2"] },
        { "during a resume", ["after-dispatch:5", "after-result:1"] },
        { "before the turn is kept", ["before-keep:1"] },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task A_task_killed_at_a_journal_boundary_resumes_without_loss_or_duplicates(string name, string[] crashes)
    {
        var baseline = await servers.Baseline;
        Assert.Equal(DurableTaskStatus.Completed, baseline.Task.Status);
        Assert.StartsWith("done: value-of-a, value-of-b, value-of-c, ok:x, ok:y, ok:z, value-of-d", baseline.Task.FinalText);

        var outcome = await RunScenarioAsync(servers, crashes);

        Assert.All(outcome.Runs.Take(crashes.Length), r => Assert.True(r.Killed, $"{name}: expected a kill, got exit {r.ExitCode}: {r.Output}\n{r.Errors}"));
        var last = outcome.Runs[^1];
        Assert.True(last.ExitCode == 0, $"{name}: the resuming host failed: {last.Output}\n{last.Errors}");
        Assert.Equal(DurableTaskStatus.Completed, outcome.Task.Status);
        Assert.Equal(baseline.Task.FinalText, outcome.Task.FinalText);
        Assert.Equal(baseline.Transcript, outcome.Transcript);

        var requests = servers.Ledger.Requests.Where(kv => kv.Key.StartsWith(outcome.TaskId + ":", StringComparison.Ordinal)).ToDictionary();
        var effects = servers.Ledger.Effects.Where(kv => kv.Key.StartsWith(outcome.TaskId + ":", StringComparison.Ordinal)).ToDictionary();
        // 0 completed results lost: whatever was committed before the crash never ran again.
        Assert.NotEmpty(outcome.CommittedBeforeFirstCrash);
        foreach (var key in outcome.CommittedBeforeFirstCrash.Keys) Assert.Equal(1, requests[key]);
        // 0 duplicate side effects: three writes, each applied once.
        Assert.Equal(3, effects.Count);
        Assert.All(effects.Values, v => Assert.Equal(1, v));
        // Only calls in doubt at a crash may have been sent twice (the ledger reconciles them by key).
        foreach (var (key, count) in requests) Assert.True(count == 1 || outcome.InDoubtAtCrash.Contains(key), $"{key} ran {count} times");
        Assert.Equal(7, requests.Count);
    }

    [Fact]
    public async Task A_task_killed_after_its_turn_is_kept_but_before_it_is_completed_answers_once_without_a_second_model_call()
    {
        var baseline = await servers.Baseline;

        var outcome = await RunScenarioAsync(servers, ["after-keep:1"]);

        Assert.True(outcome.Runs[0].Killed, $"expected a kill: {outcome.Runs[0].Output}\n{outcome.Runs[0].Errors}");
        Assert.Null(outcome.Runs[0].Answer); // killed before the reply went out
        Assert.True(outcome.Runs[1].ExitCode == 0, $"the resuming host failed: {outcome.Runs[1].Output}\n{outcome.Runs[1].Errors}");
        Assert.Equal(baseline.ModelCallsPerRun[0], outcome.ModelCallsPerRun[0]); // the whole turn ran before the kill
        Assert.Equal(0, outcome.ModelCallsPerRun[1]);                            // the restart did not ask the model again
        Assert.Equal(DurableTaskStatus.Completed, outcome.Task.Status);
        Assert.Equal(baseline.Task.FinalText, outcome.Task.FinalText);
        Assert.Equal(baseline.Transcript, outcome.Transcript);                   // the turn is in the conversation once
        Assert.Single(outcome.Transcript, line => line.StartsWith("assistant|done: ", StringComparison.Ordinal));
        Assert.All(servers.Ledger.Requests.Where(kv => kv.Key.StartsWith(outcome.TaskId + ":", StringComparison.Ordinal)), kv => Assert.Equal(1, kv.Value));
    }

    /// <summary>The same kills on PostgreSQL (a fresh database each): the outcome must equal the SQLite baseline's.</summary>
    [PostgresTheory]
    [InlineData("after the result commit", new[] { "after-result:4" })]
    [InlineData("before the turn is kept", new[] { "before-keep:1" })]
    public async Task On_postgres_a_task_killed_at_a_journal_boundary_resumes_without_loss_or_duplicates(string name, string[] crashes)
    {
        var baseline = await servers.Baseline;
        await using var database = await TestPostgres.CreateDatabaseAsync();

        var outcome = await RunScenarioAsync(servers, crashes, database.ConnectionString);

        Assert.All(outcome.Runs.Take(crashes.Length), r => Assert.True(r.Killed, $"{name}: expected a kill, got exit {r.ExitCode}: {r.Output}\n{r.Errors}"));
        Assert.True(outcome.Runs[^1].ExitCode == 0, $"{name}: the resuming host failed: {outcome.Runs[^1].Output}\n{outcome.Runs[^1].Errors}");
        Assert.Equal(DurableTaskStatus.Completed, outcome.Task.Status);
        Assert.Equal(baseline.Task.FinalText, outcome.Task.FinalText);
        Assert.Equal(baseline.Transcript, outcome.Transcript);
        var effects = servers.Ledger.Effects.Where(kv => kv.Key.StartsWith(outcome.TaskId + ":", StringComparison.Ordinal)).ToDictionary();
        Assert.Equal(3, effects.Count);
        Assert.All(effects.Values, v => Assert.Equal(1, v));
        var requests = servers.Ledger.Requests.Where(kv => kv.Key.StartsWith(outcome.TaskId + ":", StringComparison.Ordinal)).ToDictionary();
        foreach (var key in outcome.CommittedBeforeFirstCrash.Keys) Assert.Equal(1, requests[key]);
        foreach (var (key, count) in requests) Assert.True(count == 1 || outcome.InDoubtAtCrash.Contains(key), $"{key} ran {count} times");
    }

    internal static async Task<Outcome> RunScenarioAsync(CrashServers servers, string[] crashes, string? postgres = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mw-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            var runs = new List<CrashHostProcess.Run>();
            Dictionary<string, string>? committed = null;
            var inDoubt = new HashSet<string>();
            var modelCalls = new List<int>();
            for (var i = 0; i <= crashes.Length; i++)
            {
                var before = servers.Llm.RequestCount;
                var run = await CrashHostProcess.RunAsync(dir, new Uri(servers.Llm.BaseUrl), servers.Ledger.BaseUrl,
                    ask: i == 0 ? "run the ledger script" : null, crashAt: i < crashes.Length ? crashes[i] : null, postgres: postgres);
                runs.Add(run);
                modelCalls.Add(servers.Llm.RequestCount - before);
                if (i < crashes.Length && !run.Killed) return Fail(run);
                var (task, journal) = await ReadAsync(dir, postgres);
                committed ??= journal.Where(e => e.HasResult).ToDictionary(e => e.Key, e => e.Content!);
                inDoubt.UnionWith(journal.Where(e => !e.HasResult).Select(e => e.Key));
            }
            var (final, _) = await ReadAsync(dir, postgres);
            return new Outcome(final.Id, final, await TranscriptAsync(dir, postgres), committed!, inDoubt, runs, modelCalls);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }

    private static Outcome Fail(CrashHostProcess.Run run) =>
        throw new Xunit.Sdk.XunitException($"the host was not killed where planned (exit {run.ExitCode}): {run.Output}\n{run.Errors}");

    internal static SqliteDatabase Db(string dir) =>
        new(Options.Create(new StorageOptions { DataDirectory = dir }), [.. CoreMigrations.All, JournalMigrations.V1]);

    internal static async Task<(DurableTask Task, IReadOnlyList<JournalEntry> Journal)> ReadAsync(string dir, string? postgres = null)
    {
        if (postgres is not null)
        {
            await using var pg = new PostgresDatabase(postgres, PostgresSchema.All);
            var pgTask = Assert.Single(await new PostgresTaskStore(pg, TimeProvider.System).ListAsync(null, 10, default));
            return (pgTask, await new PostgresToolJournal(pg).ListAsync(pgTask.Id, default));
        }
        var db = Db(dir);
        var task = Assert.Single(await new SqliteTaskStore(db, TimeProvider.System, new JournalWriteGate(db)).ListAsync(null, 10, default));
        return (task, await new SqliteToolJournal(db, new JournalWriteGate(db)).ListAsync(task.Id, default));
    }

    /// <summary>What the chat keeps: roles, texts, calls and results (message ids and timestamps left out).</summary>
    private static async Task<IReadOnlyList<string>> TranscriptAsync(string dir, string? postgres)
    {
        await using var pg = postgres is null ? null : new PostgresDatabase(postgres, PostgresSchema.All);
        IConversationStore store = pg is null ? new SqliteConversationStore(Db(dir), TimeProvider.System) : new PostgresConversationStore(pg, TimeProvider.System);
        var messages = await store.LoadAsync("crash:1", 100, default);
        return messages.Select(m => $"{m.Role.Value}|{m.Text}|" + string.Join(";", m.Contents.Select(c => c switch
        {
            FunctionCallContent call => $"call {call.CallId} {call.Name} {string.Join(",", (call.Arguments ?? new Dictionary<string, object?>()).Select(kv => $"{kv.Key}={kv.Value}"))}",
            FunctionResultContent result => $"result {result.CallId} {result.Result}",
            _ => "",
        }))).ToList();
    }
}
