using Microsoft.Extensions.AI;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Tests.Filters.Support;
using static Moltworker.Kernel.Tests.Filters.Support.KernelHarness;

namespace Moltworker.Kernel.Tests.Filters;

public sealed class JournalTests
{
    [Fact]
    public async Task Every_call_is_journaled_with_intent_and_result_under_its_idempotency_key()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        await h.RunBatchAsync(h.Turn(taskId: "j1"), Call("a", "gated_read", new { name = "a" }), Call("w", "write", new { item = "x" }));
        var entries = await h.Get<IToolJournal>().ListAsync("j1", default);
        Assert.Equal(["j1:1:a", "j1:1:w"], entries.Select(e => e.Key).Order());
        Assert.All(entries, e => Assert.True(e.HasResult));
        Assert.Equal("wrote:x", entries.Single(e => e.CallId == "w").Content);
        Assert.True(entries.Single(e => e.CallId == "w").SideEffects);
        Assert.Equal(["j1:1:a", "j1:1:w"], h.Probe.Executions.Keys.Order()); // the tools received these keys
    }

    [Fact]
    public async Task Completed_results_are_reused_and_not_run_again()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        await h.RunBatchAsync(h.Turn(taskId: "j2"), Call("w", "write", new { item = "x" }));
        var again = await h.RunBatchAsync(Resumed(h.Turn(taskId: "j2")), Call("w", "write", new { item = "x" }), Call("a", "gated_read", new { name = "a" }));
        Assert.Equal(1, h.Probe.Executions["j2:1:w"]);
        Assert.Equal("wrote:x", again[0].Result!.Content);
        Assert.Equal("read:a", again[1].Result!.Content);
    }

    [Fact]
    public async Task Progress_of_a_resumed_batch_counts_the_replayed_results()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        await h.RunBatchAsync(h.Turn(taskId: "j5"), Call("w", "write", new { item = "x" }));
        var before = h.EventsOf<Progress>().Count;
        await h.RunBatchAsync(Resumed(h.Turn(taskId: "j5")), Call("w", "write", new { item = "x" }), Call("a", "gated_read", new { name = "a" }));
        var progress = Assert.Single(h.EventsOf<Progress>().Skip(before));   // only "a" ran; "w" came from the journal
        Assert.Equal((2, 2), (progress.Done, progress.Total));
    }

    [Fact]
    public async Task An_in_doubt_side_effect_without_idempotency_pauses_the_task_and_asks_the_user()
    {
        using var h = new KernelHarness();
        var turn = Resumed(h.Turn(taskId: "j3"));
        await h.Create<DurableTaskTracker>().StartedAsync(turn, default);
        await h.Get<IToolJournal>().RecordIntentAsync(new JournalEntry { Key = "j3:1:w", TaskId = "j3", Step = 1, CallId = "w", Tool = "write", SideEffects = true }, default);

        var paused = await Assert.ThrowsAsync<TaskPausedException>(() => h.RunBatchAsync(turn, Call("w", "write", new { item = "x" })));
        Assert.Contains("cannot tell whether it took effect", paused.Message);
        Assert.Contains("tasks resolve j3", paused.Message);
        Assert.Empty(h.Probe.Executions);
        Assert.Equal(DurableTaskStatus.Paused, (await h.Get<ITaskStore>().GetAsync("j3", default))!.Status);
        Assert.Single(h.EventsOf<TaskPaused>());
    }

    [Theory]
    [InlineData("idem_write", true)]
    [InlineData("gated_read", false)]
    public async Task An_in_doubt_call_runs_again_when_it_is_read_only_or_reconciles_by_key(string tool, bool sideEffects)
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        await h.Get<IToolJournal>().RecordIntentAsync(new JournalEntry { Key = "j4:1:c", TaskId = "j4", Step = 1, CallId = "c", Tool = tool, SideEffects = sideEffects }, default);
        var results = await h.RunBatchAsync(Resumed(h.Turn(taskId: "j4")), Call("c", tool, tool == "idem_write" ? new { item = "x" } : new { name = "x" }));
        Assert.Equal(ToolStatus.Ok, results[0].Result!.Status);
        Assert.Equal(1, h.Probe.Executions["j4:1:c"]); // same key handed to the tool
        var entry = (await h.Get<IToolJournal>().ListAsync("j4", default)).Single();
        Assert.Equal(2, entry.Runs);
    }

    [Fact]
    public async Task A_task_orphaned_mid_batch_is_resumed_at_start_from_its_checkpoint_and_journal()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        h.Model.Responder = (messages, _, _) => Task.FromResult(ScriptedChatClient.ToolRounds(messages) switch
        {
            0 => ScriptedChatClient.Calls_(("r1", "gated_read", new { name = "a" }), ("w1", "idem_write", new { item = "x" })),
            _ => ScriptedChatClient.Answer("all done: " + string.Join(",", messages.Last().Contents.OfType<FunctionResultContent>().Select(r => r.Result))),
        });

        // A previous owner started the task, the model asked for two calls, the read finished, then the process died.
        var turn = h.Turn(taskId: "orphan1");
        turn.TurnStart = 0;
        await h.Get<ITaskStore>().CreateAsync(new DurableTask { Id = "orphan1", Address = turn.Address, Agent = "default" }, "dead-owner",
            TaskCheckpoint.Of(turn, inPhase: false).Encode(), default);
        turn.History.Add(ScriptedChatClient.Calls_(("r1", "gated_read", new { name = "a" }), ("w1", "idem_write", new { item = "x" })).Messages[0]);
        await h.Get<ITaskStore>().SaveCheckpointAsync("orphan1", TaskCheckpoint.Of(turn).Encode(), default);
        var journal = h.Get<IToolJournal>();
        await journal.RecordIntentAsync(new JournalEntry { Key = "orphan1:1:r1", TaskId = "orphan1", Step = 1, CallId = "r1", Tool = "gated_read" }, default);
        await journal.RecordResultAsync("orphan1:1:r1", "orphan1", ToolResult.Ok("read:a (before the crash)"), 1, DateTimeOffset.UtcNow, default);

        await h.Get<TaskResumeService>().ResumeOrphansAsync(default);

        Assert.False(h.Probe.Executions.ContainsKey("orphan1:1:r1")); // the completed read was reused
        Assert.Equal(1, h.Probe.Executions["orphan1:1:w1"]);       // the missing write ran once
        var task = (await h.Get<ITaskStore>().GetAsync("orphan1", default))!;
        Assert.Equal(DurableTaskStatus.Completed, task.Status);
        Assert.Equal("all done: read:a (before the crash),wrote:x", task.FinalText);
        var answered = Assert.Single(h.EventsOf<TaskAnswered>());
        Assert.Equal("all done: read:a (before the crash),wrote:x", answered.Text);
        var kept = await h.Get<IConversationStore>().LoadAsync("test:chat1", 50, default);
        Assert.Equal(["user", "assistant", "tool", "assistant"], kept.Select(m => m.Role.Value));
    }

    [Fact]
    public async Task A_task_that_died_three_times_without_progress_fails_explicitly()
    {
        using var h = new KernelHarness();
        var store = h.Get<ITaskStore>();
        var turn = h.Turn(taskId: "dies");
        await store.CreateAsync(new DurableTask { Id = "dies", Address = turn.Address, Agent = "default" }, "owner-a", TaskCheckpoint.Of(turn).Encode(), default);
        Assert.Equal(1, (await store.ClaimOrphansAsync("owner-b", default)).Single().Deaths);
        Assert.Equal(2, (await store.ClaimOrphansAsync("owner-c", default)).Single().Deaths);

        await h.Get<TaskResumeService>().ResumeOrphansAsync(default);

        var task = (await store.GetAsync("dies", default))!;
        Assert.Equal(DurableTaskStatus.Failed, task.Status);
        Assert.Contains("died 3 times in a row without progress", task.LastError);
        Assert.Equal(0, h.Model.Calls);
        Assert.Single(h.EventsOf<TaskFailed>());
    }

    [Fact]
    public async Task A_checkpoint_of_an_unknown_schema_version_is_refused_with_a_clear_error()
    {
        using var h = new KernelHarness();
        var store = h.Get<ITaskStore>();
        var turn = h.Turn(taskId: "future");
        await store.CreateAsync(new DurableTask { Id = "future", Address = turn.Address, Agent = "default" }, "owner-a", new StoredCheckpoint(99, "{}", "work", 3), default);
        Assert.Throws<CheckpointVersionException>(() => TaskCheckpoint.Decode("future", new StoredCheckpoint(99, "{}", "work", 3)));

        await h.Get<TaskResumeService>().ResumeOrphansAsync(default);

        var task = (await store.GetAsync("future", default))!;
        Assert.Equal(DurableTaskStatus.Failed, task.Status);
        Assert.Contains("schema version 99", task.LastError);
        Assert.Contains("reads only version 1", task.LastError);
        Assert.Equal(0, h.Model.Calls);
    }

    [Fact]
    public async Task A_checkpoint_round_trips_the_conversation_state()
    {
        using var h = new KernelHarness();
        var turn = h.Turn();
        turn.History.Add(ScriptedChatClient.Calls_(("c", "write", new { item = "x" })).Messages[0]);
        turn.Step = 4;
        turn.ToolCalls = 2;
        turn.PhaseIndex = 1;
        var back = TaskCheckpoint.Decode("t", TaskCheckpoint.Of(turn).Encode());
        var restored = h.Turn();
        back.ApplyTo(restored);
        Assert.Equal(4, restored.Step);
        Assert.Equal(2, restored.ToolCalls);
        Assert.Equal(1, restored.PhaseIndex);
        Assert.Equal("x", restored.History[^1].Contents.OfType<FunctionCallContent>().Single().Arguments!["item"]!.ToString());
    }

    /// <summary>Only a resumed turn looks its calls up in the journal.</summary>
    private static TurnContext Resumed(TurnContext turn)
    {
        turn.IsResumed = true;
        return turn;
    }
}
