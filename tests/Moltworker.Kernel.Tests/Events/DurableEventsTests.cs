using System.Text.Json;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Tests.Filters.Support;

namespace Moltworker.Kernel.Tests.Events;

/// <summary>Issue 13, part 1: every kernel event is stored per task, in order, with its wire name, a global id, a per-task
/// sequence, the task's agent and its batch and call ids.</summary>
public sealed class DurableEventsTests
{
    private static readonly Dictionary<string, string> Settings = new() { ["Moltworker:Events:WriteDelay"] = "00:00:00" };

    [Fact]
    public async Task A_parallel_turn_is_stored_in_causal_order_with_ids_sequences_and_call_ids()
    {
        using var h = new KernelHarness(Settings!);
        var recorder = await StartRecorderAsync(h);
        h.Probe.Gate.SetResult();
        h.Model.Responder = (messages, _, _) => Task.FromResult(ScriptedChatClient.ToolRounds(messages) == 0
            ? ScriptedChatClient.Calls_(("a", "gated_read", new { name = "a" }), ("b", "gated_read", new { name = "b" }), ("c", "gated_read", new { name = "c" }))
            : ScriptedChatClient.Answer("ok"));
        var reply = await h.AskAsync("go");
        await recorder.FlushAsync(default);

        var events = await h.Get<IEventLog>().ReadAsync(new EventQuery { TaskId = reply.TaskId }, default);
        var names = events.Select(e => e.Name).ToList();
        Assert.Equal([EventNames.TaskStarted, EventNames.PhaseStarted, EventNames.PoState, EventNames.PoState, EventNames.ParallelBatchStarted], names[..5]);
        Assert.Equal([EventNames.PoState, EventNames.PhaseCompleted, EventNames.PoState, EventNames.TaskCompleted], names[^4..]);
        Assert.Equal(["thinking", "calling_tool", "thinking", "idle"], events.Where(e => e.Name == EventNames.PoState).Select(e => Data(e).GetProperty("status").GetString()));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.Second.Id > p.First.Id), "ids grow");
        Assert.All(events, e => { Assert.Equal(reply.TaskId, e.ThreadId); Assert.Equal("default", e.Agent); Assert.Equal("chat1", e.ChatId); });

        var batch = events.Single(e => e.Name == EventNames.ParallelBatchStarted);
        Assert.Equal(["a", "b", "c"], Data(batch).GetProperty("tool_call_ids").EnumerateArray().Select(x => x.GetString()));
        Assert.True(Data(batch).GetProperty("parallel").GetBoolean());
        Assert.Equal("model", Data(batch).GetProperty("caller").GetString());
        var done = events.Single(e => e.Name == EventNames.ParallelBatchCompleted);
        Assert.Equal(batch.BatchId, done.BatchId);
        var calls = events.Where(e => e.Name is EventNames.ToolCallStarted or EventNames.ToolCallCompleted).ToList();
        Assert.Equal(6, calls.Count);
        Assert.All(calls, c => { Assert.Equal(batch.BatchId, c.BatchId); Assert.True(c.Id > batch.Id && c.Id < done.Id); });
        foreach (var id in new[] { "a", "b", "c" })
        {
            var started = calls.Single(c => c.CallId == id && c.Name == EventNames.ToolCallStarted);
            var completed = calls.Single(c => c.CallId == id && c.Name == EventNames.ToolCallCompleted);
            Assert.True(started.Id < completed.Id);
            Assert.Equal("ok", Data(completed).GetProperty("status").GetString());
            Assert.True(Data(completed).GetProperty("latency_ms").GetDouble() >= 0);
        }
    }

    [Fact]
    public async Task A_sequential_batch_says_so_in_its_started_event()
    {
        using var h = new KernelHarness(Settings!);
        var recorder = await StartRecorderAsync(h);
        await h.RunBatchAsync(h.Turn(taskId: "serial"), KernelHarness.Call("w1", "write", new { item = "x" }), KernelHarness.Call("w2", "write", new { item = "y" }));
        await recorder.FlushAsync(default);

        var started = (await h.Get<IEventLog>().ReadAsync(new EventQuery { TaskId = "serial" }, default)).Single(e => e.Name == EventNames.ParallelBatchStarted);
        Assert.False(Data(started).GetProperty("parallel").GetBoolean());
        Assert.Equal(["w1", "w2"], Data(started).GetProperty("tool_call_ids").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public async Task After_a_restart_ids_continue_after_the_stored_ones_and_a_resumed_task_continues_its_sequence()
    {
        using var h = new KernelHarness(Settings!);
        var log = h.Get<IEventLog>();
        var address = h.Turn().Address;
        await log.AppendAsync([new StoredEvent
        {
            Id = 41, Seq = 7, Name = EventNames.PhaseStarted, At = DateTimeOffset.UtcNow, TaskId = "earlier", ThreadId = "earlier",
            Channel = address.Channel, ChatId = address.ChatId, Data = "{\"phase\":\"work\"}",
        }], default);
        var recorder = await StartRecorderAsync(h);

        h.Get<IEventBus>().Publish(new TaskResumed("earlier", address, 1, "the host restarted"));
        await recorder.FlushAsync(default);

        var resumed = (await log.ReadAsync(new EventQuery { AfterId = 41 }, default)).Single();
        Assert.Equal((42L, 8L, EventNames.TaskResumed), (resumed.Id, resumed.Seq, resumed.Name));
        Assert.Equal("the host restarted", Data(resumed).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Retention_deletes_the_events_of_pruned_tasks_and_keeps_those_of_unfinished_ones()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tasks:RetentionDays"] = "7" });
        var store = h.Get<Moltworker.Kernel.Tasks.ITaskStore>();
        var log = h.Get<IEventLog>();
        var address = h.Turn().Address;
        var old = h.Clock.GetUtcNow();
        var id = 0;
        foreach (var task in new[] { "finished", "unfinished" })
        {
            await store.CreateAsync(new Moltworker.Kernel.Tasks.DurableTask { Id = task, Address = address, Agent = "default" }, "me",
                Moltworker.Kernel.Tasks.TaskCheckpoint.Of(h.Turn()).Encode(), default);
            await log.AppendAsync([new StoredEvent { Id = ++id, Seq = 1, Name = EventNames.TaskStarted, At = old, TaskId = task, ThreadId = task,
                Channel = address.Channel, ChatId = address.ChatId, Data = "{}" }], default);
        }
        await store.SetStatusAsync("finished", Moltworker.Kernel.Tasks.DurableTaskStatus.Completed, null, "done", default);
        h.Clock.Advance(TimeSpan.FromDays(8));

        using var service = h.Create<Moltworker.Kernel.Tasks.TaskRetentionService>();
        await service.StartAsync(default);
        await h.Clock.WaitForTimerAsync(Moltworker.Kernel.Tasks.TaskRetentionService.Interval);   // the first pass is done
        Assert.Equal(["unfinished"], (await log.ReadAsync(new EventQuery(), default)).Select(e => e.TaskId));
        await service.StopAsync(default);
    }

    [Fact]
    public void Every_wire_name_of_the_issue_is_defined_once()
    {
        Assert.Equal(19, EventNames.All.Distinct().Count());
        Assert.Subset(EventNames.All.ToHashSet(), EventNames.Reserved.ToHashSet());
        Assert.All(EventNames.All, n => Assert.Matches("^[a-z_]+$", n));
    }

    private static async Task<EventRecorder> StartRecorderAsync(KernelHarness h)
    {
        var recorder = h.Get<EventRecorder>();
        await recorder.StartAsync(default);   // the harness builds its host without starting it
        return recorder;
    }

    private static JsonElement Data(StoredEvent e) => JsonDocument.Parse(e.Data).RootElement;
}
