using Microsoft.Extensions.AI;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Tests.Filters.Support;
using Moltworker.Kernel.Transactions;
using static Moltworker.Kernel.Tests.Filters.Support.KernelHarness;

namespace Moltworker.Kernel.Tests.Filters;

public sealed class EventsAndTransactionsTests
{
    [Fact]
    public async Task A_turn_publishes_task_phase_batch_call_and_progress_events_in_order()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        h.Model.Responder = (messages, _, _) => Task.FromResult(ScriptedChatClient.ToolRounds(messages) == 0
            ? ScriptedChatClient.Calls_(("a", "gated_read", new { name = "a" }), ("b", "gated_read", new { name = "b" }))
            : ScriptedChatClient.Answer("ok"));
        var reply = await h.AskAsync("go");

        // The agent's state changes (po_state) and phase ends interleave; this test is about the others' order.
        var kinds = h.EventsOf<KernelEvent>().Where(e => e is not (PoStateChanged or PhaseCompleted)).Select(e => e.GetType().Name).ToList();
        Assert.Equal("TaskStarted", kinds[0]);
        Assert.Equal("PhaseChanged", kinds[1]);
        Assert.Equal("BatchStarted", kinds[2]);
        Assert.Equal("TaskCompleted", kinds[^1]);
        Assert.Equal(2, kinds.Count(k => k == "CallStarted"));
        Assert.Equal(2, kinds.Count(k => k == "CallFinished"));
        var started = h.EventsOf<BatchStarted>().Single();
        Assert.True(started.Parallel);
        Assert.Equal(["a", "b"], started.CallIds);
        var completed = h.EventsOf<BatchCompleted>().Single();
        Assert.Equal(["a", "b"], completed.CallIds);
        Assert.True(completed.Parallel);
        Assert.Equal([1, 2], h.EventsOf<Progress>().Select(p => p.Done).Order());
        Assert.All(h.EventsOf<KernelEvent>(), e => Assert.Equal(reply.TaskId, e.TaskId));
    }

    [Fact]
    public async Task Secrets_in_arguments_are_redacted_in_the_journal_and_the_transaction_log()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Transactions:RedactKeys:0"] = "*key*", ["Moltworker:Transactions:RedactKeys:1"] = "pass*" });
        var args = new { query = "weather", apiKey = "sk-very-secret", options = new { passphrase = "hunter2", depth = 2, list = new[] { new { sessionKey = "in-a-list" } } } };
        await h.RunBatchAsync(h.Turn(taskId: "sec"), Call("s", "secret_echo", args));
        var journal = (await h.Get<IToolJournal>().ListAsync("sec", default)).Single();
        var row = (await h.Get<ITransactionLog>().QueryAsync(new TransactionQuery { TaskId = "sec" }, default)).Single();
        foreach (var text in new[] { journal.Arguments, row.Arguments! })
        {
            Assert.DoesNotContain("sk-very-secret", text);
            Assert.DoesNotContain("hunter2", text);
            Assert.DoesNotContain("in-a-list", text);
            Assert.Contains("weather", text);
            Assert.Contains("[redacted]", text);
            Assert.Contains("\"depth\":2", text);
        }
        Assert.Equal("echo:weather", row.Summary);
        Assert.Equal("tool", row.Kind);
        Assert.Equal("test:chat1", row.Chat);
    }

    [Fact]
    public async Task Model_calls_are_logged_with_tokens_and_cost_from_the_catalog_prices()
    {
        using var h = new KernelHarness();
        h.Model.Responder = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))
        {
            ModelId = ParallelModel,
            Usage = new UsageDetails { InputTokenCount = 1_000_000, OutputTokenCount = 500_000 },
        });
        var client = h.Create<TransactionChatClientDecorator>().Decorate(h.Model);
        var options = new ChatOptions { ModelId = ParallelModel, AdditionalProperties = new() { ["moltworker.task"] = "cost1" } };
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], options);

        var row = (await h.Get<ITransactionLog>().QueryAsync(new TransactionQuery { Kind = "model" }, default)).Single();
        Assert.Equal("cost1", row.TaskId);
        Assert.Equal(ParallelModel, row.Name);
        Assert.Equal(1_000_000, row.InputTokens);
        Assert.Equal(6m, row.Cost); // 1M in at $2 + 0.5M out at $8
        var byModel = await h.Get<ITransactionLog>().UsageAsync(UsageGrouping.Model, null, null, default);
        Assert.Equal(6m, byModel.Single().Cost);
    }

    [Fact]
    public async Task Retention_deletes_transactions_older_than_the_configured_days_at_start_and_every_six_hours()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Transactions:RetentionDays"] = "7" });
        var log = h.Get<ITransactionLog>();
        var now = h.Clock.GetUtcNow();
        await log.AppendAsync(new TransactionRecord { At = now.AddDays(-8), Kind = "tool", Name = "old", Status = "Ok" }, default);
        await log.AppendAsync(new TransactionRecord { At = now.AddDays(-6.9), Kind = "tool", Name = "recent", Status = "Ok" }, default);
        using var service = h.Create<TransactionRetentionService>();
        await service.StartAsync(default);
        await h.Clock.WaitForTimerAsync(TransactionRetentionService.Interval); // the first pass is done, the next is scheduled
        Assert.Equal(["recent"], (await log.QueryAsync(new TransactionQuery(), default)).Select(r => r.Name));

        h.Clock.Advance(TransactionRetentionService.Interval); // six hours later "recent" is older than 7 days
        await h.Clock.WaitForTimerAsync(TransactionRetentionService.Interval);
        Assert.Empty(await log.QueryAsync(new TransactionQuery(), default));
        await service.StopAsync(default);
    }

    [Fact]
    public async Task Task_retention_deletes_old_finished_tasks_and_keeps_unfinished_ones()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tasks:RetentionDays"] = "7" });
        var store = h.Get<ITaskStore>();
        foreach (var id in new[] { "finished", "unfinished" })
            await store.CreateAsync(new DurableTask { Id = id, Address = h.Turn().Address, Agent = "default" }, "me", TaskCheckpoint.Of(h.Turn()).Encode(), default);
        await store.SetStatusAsync("finished", DurableTaskStatus.Completed, null, "done", default);
        h.Clock.Advance(TimeSpan.FromDays(8));

        using var service = h.Create<TaskRetentionService>();
        await service.StartAsync(default);
        await h.Clock.WaitForTimerAsync(TaskRetentionService.Interval);   // the first pass is done
        Assert.Equal(["unfinished"], (await store.ListAsync(null, 10, default)).Select(t => t.Id));
        await service.StopAsync(default);
    }

    [Fact]
    public async Task The_auto_resume_rate_is_reported_by_the_task_stats()
    {
        using var h = new KernelHarness();
        var store = h.Get<ITaskStore>();
        foreach (var id in new[] { "r1", "r2" })
            await store.CreateAsync(new DurableTask { Id = id, Address = h.Turn().Address, Agent = "default" }, "me", TaskCheckpoint.Of(h.Turn()).Encode(), default);
        await store.RecordAutoResumeAsync("r1", "budget", default);
        await store.RecordAutoResumeAsync("r1", "budget", default);
        var stats = await store.StatsAsync(default);
        Assert.Equal(1.0, stats.AutoResumeRate);
        Assert.Equal(1, stats.TasksWithAutoResume);
        var health = await h.Create<TasksHealth>().CheckAsync(default);
        Assert.True(health.Healthy);
        Assert.Contains("autoResumeRate = 1", health.Data!.ToString());
    }
}
