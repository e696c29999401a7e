using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;
using Moltworker.Testing.Time;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>Durable tasks, the tool-call journal, the transaction log and the usage totals read from it.</summary>
public abstract class JournalSuite : StoreSuite
{
    private static readonly ChatAddress Chat = new("telegram", "42", "u");

    private static DurableTask Task(string id) => new() { Id = id, Address = Chat, Agent = "planner" };

    [SkippableFact]
    public async Task Tasks_keep_status_checkpoint_and_auto_resume_count()
    {
        var store = Stores.Tasks(TimeProvider.System);
        await store.CreateAsync(Task("a"), "me", new StoredCheckpoint(1, "{\"x\":1}", "plan", 0), default);
        await store.SaveCheckpointAsync("a", new StoredCheckpoint(1, "{\"x\":2}", "work", 3), default);
        Assert.Equal(1, await store.RecordAutoResumeAsync("a", "budget 1", default));
        Assert.Equal(2, await store.RecordAutoResumeAsync("a", "budget 2", default));
        await store.SetStatusAsync("a", DurableTaskStatus.Completed, null, "the answer", default);

        var task = (await store.GetAsync("a", default))!;
        Assert.Equal((DurableTaskStatus.Completed, 2, "budget 2", "the answer", "work", 3), (task.Status, task.AutoResumeCount, task.LastError, task.FinalText, task.Phase, task.Step));
        Assert.Equal(Chat, task.Address);
        Assert.Equal(new StoredCheckpoint(1, "{\"x\":2}", "work", 3), await store.LoadCheckpointAsync("a", default));
        Assert.Single(await store.ListAsync(DurableTaskStatus.Completed, 10, default));
        Assert.Empty(await store.ListAsync(DurableTaskStatus.Running, 10, default));
        Assert.Null(await store.GetAsync("missing", default));
        Assert.Null(await store.LoadCheckpointAsync("missing", default));
    }

    [SkippableFact]
    public async Task Claims_take_over_other_owners_running_tasks_and_count_deaths_without_progress()
    {
        var store = Stores.Tasks(TimeProvider.System);
        var journal = Stores.Journal();
        await store.CreateAsync(Task("a"), "p1", new StoredCheckpoint(1, "{}", "work", 0), default);
        await store.CreateAsync(Task("done"), "p1", new StoredCheckpoint(1, "{}", "work", 0), default);
        await store.SetStatusAsync("done", DurableTaskStatus.Completed, null, "x", default);

        Assert.Empty(await store.ClaimOrphansAsync("p1", default)); // its own tasks are not orphans
        Assert.Equal(1, (await store.ClaimOrphansAsync("p2", default)).Single().Deaths);
        Assert.Equal(2, (await store.ClaimOrphansAsync("p3", default)).Single().Deaths);

        // Progress (a journaled result) resets the count.
        await journal.RecordIntentAsync(new JournalEntry { Key = "a:1:c", TaskId = "a", Step = 1, CallId = "c", Tool = "t" }, default);
        await journal.RecordResultAsync("a:1:c", "a", ToolResult.Ok("r"), 1, DateTimeOffset.UtcNow, default);
        Assert.Equal(1, (await store.ClaimOrphansAsync("p4", default)).Single().Deaths);
        await store.SaveCheckpointAsync("a", new StoredCheckpoint(1, "{}", "work", 2), default);
        Assert.Equal(1, (await store.ClaimOrphansAsync("p5", default)).Single().Deaths);
        Assert.Equal(2, (await store.ClaimOrphansAsync("p6", default)).Single().Deaths);
    }

    [SkippableFact]
    public async Task A_single_claim_takes_one_running_task_from_another_owner_only()
    {
        var store = Stores.Tasks(TimeProvider.System);
        await store.CreateAsync(Task("a"), "p1", new StoredCheckpoint(1, "{}", "work", 0), default);
        Assert.Null(await store.ClaimAsync("a", "p1", default));
        Assert.Equal(("a", 1), (await store.ClaimAsync("a", "p2", default)) is { } t ? (t.Id, t.Deaths) : default);
        Assert.Null(await store.ClaimAsync("missing", "p2", default));
        var stats = await store.StatsAsync(default);
        Assert.Equal((1, 0, 0, 0), (stats.Running, stats.Paused, stats.Completed, stats.Failed));
    }

    [SkippableFact]
    public async Task A_paused_task_released_by_the_user_is_claimed_again()
    {
        var store = Stores.Tasks(TimeProvider.System);
        await store.CreateAsync(Task("p"), "me", new StoredCheckpoint(1, "{}", "work", 0), default);
        await store.SetStatusAsync("p", DurableTaskStatus.Paused, "in doubt", null, default);
        Assert.Empty(await store.ClaimOrphansAsync("other", default));
        await store.ReleaseAsync("p", default);
        Assert.Equal("p", (await store.ClaimOrphansAsync("other", default)).Single().Id);
    }

    [SkippableFact]
    public async Task The_journal_keeps_intents_results_and_reruns_by_idempotency_key()
    {
        var journal = Stores.Journal();
        var intent = new JournalEntry { Key = "t:1:c", TaskId = "t", Step = 1, CallId = "c", Tool = "pay", Arguments = "{\"amount\":5}", SideEffects = true, StartedAt = DateTimeOffset.UtcNow };
        await journal.RecordIntentAsync(intent, default);
        var inDoubt = (await journal.FindAsync("t", ["t:1:c", "t:1:other"], default)).Single().Value;
        Assert.False(inDoubt.HasResult);
        Assert.True(inDoubt.SideEffects);

        await journal.RecordIntentAsync(intent, default);
        await journal.RecordResultAsync("t:1:c", "t", new ToolResult("Error: timed out", ToolStatus.Timeout), 3, DateTimeOffset.UtcNow, default);
        var done = (await journal.ListAsync("t", default)).Single();
        Assert.Equal((2, ToolStatus.Timeout, "Error: timed out", 3, "{\"amount\":5}"), (done.Runs, done.Status!.Value, done.Content, done.Attempts, done.Arguments));

        await journal.ForgetAsync("t:1:c", default);   // a finished entry is never forgotten
        Assert.Single(await journal.ListAsync("t", default));
        await journal.RecordIntentAsync(intent with { Key = "t:2:c", Step = 2 }, default);
        await journal.ForgetAsync("t:2:c", default);   // an entry still in doubt is
        Assert.Single(await journal.ListAsync("t", default));
        Assert.Empty(await journal.FindAsync("t", [], default));
    }

    [SkippableFact]
    public async Task The_transaction_log_filters_sums_usage_per_model_task_and_chat_and_prunes()
    {
        var tasks = Stores.Tasks(TimeProvider.System);
        await tasks.CreateAsync(Task("t1"), "me", new StoredCheckpoint(1, "{}", "work", 0), default);
        var log = Stores.Transactions();
        var old = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await log.AppendAsync(new TransactionRecord { At = old, Kind = "model", TaskId = "t1", Name = "m1", Status = "Ok", InputTokens = 10, OutputTokens = 5, Cost = 0.5m }, default);
        await log.AppendAsync(new TransactionRecord { At = old.AddDays(10), Kind = "model", TaskId = "t1", Name = "m2", Status = "Ok", InputTokens = 20, OutputTokens = 1, Cost = 0.25m }, default);
        await log.AppendAsync(new TransactionRecord { At = old.AddDays(10), Kind = "tool", TaskId = "t1", Name = "pay", Status = "Error", Attempt = 2, LatencyMs = 12.5 }, default);

        Assert.Equal("pay", (await log.QueryAsync(new TransactionQuery { Status = "error" }, default)).Single().Name);
        Assert.Equal("m2", (await log.QueryAsync(new TransactionQuery { Kind = "model", Since = old.AddDays(5) }, default)).Single().Name);
        Assert.Equal("telegram:42", (await log.QueryAsync(new TransactionQuery { Name = "m1" }, default)).Single().Chat);
        var pay = (await log.QueryAsync(new TransactionQuery { TaskId = "t1", Kind = "tool" }, default)).Single();
        Assert.Equal((2, 12.5, old.AddDays(10), (long?)null, (decimal?)null), (pay.Attempt, pay.LatencyMs, pay.At, pay.InputTokens, pay.Cost));

        var byChat = (await log.UsageAsync(UsageGrouping.Chat, null, null, default)).Single();
        Assert.Equal(("telegram:42", 2L, 30L, 6L, 0.75m), (byChat.Key, byChat.Calls, byChat.InputTokens, byChat.OutputTokens, byChat.Cost));
        Assert.Equal(["m1", "m2"], (await log.UsageAsync(UsageGrouping.Model, null, null, default)).Select(u => u.Key));
        Assert.Equal(0.75m, (await log.UsageAsync(UsageGrouping.Task, null, null, default)).Single().Cost);
        Assert.Equal(["m2"], (await log.UsageAsync(UsageGrouping.Model, old.AddDays(1), old.AddDays(11), default)).Select(u => u.Key));

        Assert.Equal(1, await log.PruneAsync(old.AddDays(5), default));
        Assert.Equal(2, (await log.QueryAsync(new TransactionQuery(), default)).Count);
    }

    [SkippableFact]
    public async Task Pruning_deletes_old_finished_tasks_with_their_journal_and_keeps_running_paused_and_recent_ones()
    {
        var time = new FakeTimeProvider();
        var tasks = Stores.Tasks(time);
        var journal = Stores.Journal();
        async Task Add(string id, DurableTaskStatus status)
        {
            await tasks.CreateAsync(Task(id), "me", new StoredCheckpoint(1, "{}", "work", 0), default);
            if (status != DurableTaskStatus.Running) await tasks.SetStatusAsync(id, status, null, null, default);
            await journal.RecordIntentAsync(new JournalEntry { Key = $"{id}:1:c", TaskId = id, Step = 1, CallId = "c", Tool = "t", SideEffects = false }, default);
        }
        foreach (var (id, status) in new[] { ("done", DurableTaskStatus.Completed), ("failed", DurableTaskStatus.Failed),
                     ("running", DurableTaskStatus.Running), ("paused", DurableTaskStatus.Paused) })
            await Add(id, status);
        time.Advance(TimeSpan.FromDays(10));
        await Add("recent", DurableTaskStatus.Completed);

        Assert.Equal(2, await tasks.PruneFinishedAsync(time.GetUtcNow().AddDays(-5), default));

        var left = (await tasks.ListAsync(null, 100, default)).Select(t => t.Id).Order();
        Assert.Equal(["paused", "recent", "running"], left);
        Assert.Empty(await journal.ListAsync("done", default));
        Assert.Single(await journal.ListAsync("recent", default));
        Assert.Equal(0, await tasks.PruneFinishedAsync(time.GetUtcNow().AddDays(-5), default));
    }
}
