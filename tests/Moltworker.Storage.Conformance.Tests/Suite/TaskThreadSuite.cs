using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Testing.Time;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>The threads of durable tasks: a child's row with its parent pointer and checkpoint, written once by its first
/// checkpoint (or its end) however often its call runs, ended with its answer or error and usage; a task's root recorded
/// (and recorded again) in place; threads listed in the order their rows were first written; pruned after their task.</summary>
public abstract class TaskThreadSuite : StoreSuite
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static TaskThread Child(string id, string? parent = null, string call = "c1") =>
        new() { Id = id, TaskId = "t", ParentId = parent, ToolCallId = call, Agent = "writer", Model = "m", StartedAt = T0 };

    [SkippableFact]
    public async Task A_threads_first_checkpoint_writes_its_row_once_later_ones_keep_its_start_and_it_ends_with_its_answer()
    {
        var threads = Stores.Threads();
        await threads.SaveCheckpointAsync(Child("t/1.c1") with { InputTokens = 5, OutputTokens = 1 }, new StoredCheckpoint(1, "{\"first\":1}", "work", 0), default);
        var started = (await threads.GetAsync("t/1.c1", default))!;
        Assert.Equal((TaskThreadStatus.Running, "t", (string?)null, "c1", "writer", "m", 5L, 1L),
            (started.Status, started.TaskId, started.ParentId, started.ToolCallId, started.Agent, started.Model, started.InputTokens, started.OutputTokens));
        Assert.False(started.HasEnded);

        // The next checkpoint (here from a resumed run, which started later) replaces the checkpoint and usage only.
        await threads.SaveCheckpointAsync(Child("t/1.c1") with { Agent = "other", StartedAt = T0.AddSeconds(3), InputTokens = 10, OutputTokens = 4 },
            new StoredCheckpoint(1, "{\"second\":2}", "", 0), default);
        var again = (await threads.GetAsync("t/1.c1", default))!;
        Assert.Equal((TaskThreadStatus.Running, "writer", T0, 10L, 4L), (again.Status, again.Agent, again.StartedAt, again.InputTokens, again.OutputTokens));
        Assert.Equal("{\"second\":2}", (await threads.LoadCheckpointAsync("t/1.c1", default))!.Payload);
        Assert.Single(await threads.ListAsync("t", default));

        await threads.RecordAsync(again with { Status = TaskThreadStatus.Completed, Answer = "wrote x", InputTokens = 30, OutputTokens = 9, EndedAt = T0.AddSeconds(5) }, default);
        var ended = (await threads.GetAsync("t/1.c1", default))!;
        Assert.Equal((TaskThreadStatus.Completed, "wrote x", (string?)null, 30L, 9L), (ended.Status, ended.Answer, ended.Error, ended.InputTokens, ended.OutputTokens));
        Assert.Equal((T0, T0.AddSeconds(5)), (ended.StartedAt, ended.EndedAt));
        Assert.True(ended.HasEnded);
        Assert.Null(await threads.GetAsync("missing", default));
        Assert.Null(await threads.LoadCheckpointAsync("missing", default));
    }

    [SkippableFact]
    public async Task A_task_lists_its_threads_in_the_order_their_rows_were_first_written_and_its_root_is_recorded_in_place()
    {
        var threads = Stores.Threads();
        await threads.SaveCheckpointAsync(Child("t/1.b", call: "b"), new StoredCheckpoint(1, "{}", "work", 0), default);
        await threads.SaveCheckpointAsync(Child("t/1.a", call: "a"), new StoredCheckpoint(1, "{}", "work", 0), default);
        await threads.SaveCheckpointAsync(Child("t/1.a/1.g", parent: "t/1.a", call: "g"), new StoredCheckpoint(1, "{}", "work", 0), default);
        await threads.SaveCheckpointAsync(Child("other/1.c") with { TaskId = "other" }, new StoredCheckpoint(1, "{}", "work", 0), default);
        // A child that ended before it had a checkpoint (it answered without calling a tool) is written once, at its end.
        await threads.RecordAsync(Child("t/1.a/2.h", parent: "t/1.a", call: "h") with { Status = TaskThreadStatus.Completed, Answer = "at once", EndedAt = T0 }, default);
        await threads.RecordAsync(Child("t/1.b", call: "b") with { Status = TaskThreadStatus.Failed, Error = "it broke", EndedAt = T0 }, default);
        var root = new TaskThread { Id = "t", TaskId = "t", Agent = "default", Model = "m", Status = TaskThreadStatus.Failed, Error = "first end", StartedAt = T0, EndedAt = T0 };
        await threads.RecordAsync(root, default);
        await threads.RecordAsync(root with { Status = TaskThreadStatus.Completed, Error = null, Answer = "done", InputTokens = 7, EndedAt = T0.AddSeconds(1) }, default);

        var list = await threads.ListAsync("t", default);
        Assert.Equal(["t/1.b", "t/1.a", "t/1.a/1.g", "t/1.a/2.h", "t"], list.Select(t => t.Id));
        Assert.Equal(("t/1.a", "t/1.a"), (list[2].ParentId, list[3].ParentId));
        Assert.Equal((TaskThreadStatus.Failed, "it broke"), (list[0].Status, list[0].Error));
        Assert.Equal((TaskThreadStatus.Completed, "at once"), (list[3].Status, list[3].Answer));
        Assert.Null(await threads.LoadCheckpointAsync("t/1.a/2.h", default));
        Assert.Equal((TaskThreadStatus.Completed, "done", (string?)null, 7L, (string?)null), (list[4].Status, list[4].Answer, list[4].Error, list[4].InputTokens, list[4].ToolCallId));
        Assert.Null(await threads.LoadCheckpointAsync("t", default)); // a recorded root has no checkpoint of its own
        Assert.Empty(await threads.ListAsync("nobody", default));
    }

    [SkippableFact]
    public async Task Threads_are_pruned_after_their_task_and_not_before()
    {
        var time = new FakeTimeProvider(T0);
        var tasks = Stores.Tasks(time);
        var threads = Stores.Threads();
        foreach (var id in new[] { "gone", "kept" })
        {
            await tasks.CreateAsync(new DurableTask { Id = id, Address = new ChatAddress("http", "c"), Agent = "default" }, "me", new StoredCheckpoint(1, "{}", "work", 0), default);
            await tasks.SetStatusAsync(id, DurableTaskStatus.Completed, null, "x", default);
            await threads.SaveCheckpointAsync(Child($"{id}/1.c1") with { TaskId = id }, new StoredCheckpoint(1, "{}", "work", 0), default);
        }
        time.Advance(TimeSpan.FromDays(10));
        await tasks.SetStatusAsync("kept", DurableTaskStatus.Completed, null, "x", default); // updated recently: stays

        Assert.Equal(0, await threads.PruneAsync(T0.AddDays(5), default)); // both tasks still exist
        Assert.Equal(1, await tasks.PruneFinishedAsync(T0.AddDays(5), default));
        Assert.Equal(0, await threads.PruneAsync(T0.AddSeconds(-1), default)); // started after the cut-off
        Assert.Equal(1, await threads.PruneAsync(T0.AddDays(5), default));
        Assert.Empty(await threads.ListAsync("gone", default));
        Assert.Single(await threads.ListAsync("kept", default));
    }
}
