using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Storage.Conformance.Tests.Suite;

/// <summary>The durable event log: events kept whole, in id order, read by task, chat, channel and after an id, and
/// pruned with the tasks they belong to.</summary>
public abstract class EventLogSuite : StoreSuite
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, 123, TimeSpan.Zero);

    /// <summary>Events as the recorder makes them: ids from 1, a sequence per task.</summary>
    private static List<StoredEvent> Events(params (string Task, string Chat, string Channel)[] of)
    {
        var seq = new Dictionary<string, long>();
        return of.Select((e, i) => new StoredEvent
        {
            Id = i + 1,
            Seq = seq[e.Task] = seq.GetValueOrDefault(e.Task) + 1,
            Name = i % 2 == 0 ? "tool_call_started" : "tool_call_completed",
            At = T0.AddSeconds(i),
            TaskId = e.Task,
            ThreadId = e.Task,
            Agent = i == 0 ? null : "planner",
            Channel = e.Channel,
            ChatId = e.Chat,
            BatchId = i % 3 == 0 ? null : $"b{i}",
            CallId = i % 2 == 0 ? $"call_{i}" : null,
            Data = $$"""{"n":{{i}},"text":"ü \"q\""}""",
        }).ToList();
    }

    [SkippableFact]
    public async Task Appended_events_read_back_whole_in_id_order_and_by_task_chat_channel_and_after_an_id()
    {
        var log = Stores.Events();
        Assert.Equal(0, await log.LastIdAsync(default));
        var all = Events(("t1", "42", "telegram"), ("t1", "42", "telegram"), ("t2", "7", "api"), ("t1", "42", "telegram"), ("t3", "42", "discord"), ("t2", "7", "api"));
        await log.AppendAsync(all.Take(4).ToList(), default);
        await log.AppendAsync(all.Skip(4).ToList(), default);
        await log.AppendAsync([], default);

        Assert.Equal(all, await log.ReadAsync(new EventQuery(), default));
        Assert.Equal([1L, 2, 4], (await log.ReadAsync(new EventQuery { TaskId = "t1" }, default)).Select(e => e.Id));
        Assert.Equal([1L, 2, 3], (await log.ReadAsync(new EventQuery { TaskId = "t1" }, default)).Select(e => e.Seq));
        Assert.Equal([1L, 2, 4, 5], (await log.ReadAsync(new EventQuery { ChatId = "42" }, default)).Select(e => e.Id));
        Assert.Equal([5L], (await log.ReadAsync(new EventQuery { ChatId = "42", Channel = "discord" }, default)).Select(e => e.Id));
        Assert.Equal([4L, 5], (await log.ReadAsync(new EventQuery { AfterId = 2, ChatId = "42" }, default)).Select(e => e.Id));
        Assert.Equal([3L, 4], (await log.ReadAsync(new EventQuery { AfterId = 2, Limit = 2 }, default)).Select(e => e.Id));
        Assert.Empty(await log.ReadAsync(new EventQuery { AfterId = 6 }, default));

        Assert.Equal(6, await log.LastIdAsync(default));
        Assert.Equal(3, await log.LastSequenceAsync("t1", default));
        Assert.Equal(2, await log.LastSequenceAsync("t2", default));
        Assert.Equal(0, await log.LastSequenceAsync("none", default));
    }

    [SkippableFact]
    public async Task Pruning_deletes_old_events_of_tasks_that_are_gone_and_keeps_new_ones_and_those_of_kept_tasks()
    {
        var tasks = Stores.Tasks(TimeProvider.System);
        await tasks.CreateAsync(new DurableTask { Id = "kept", Address = new ChatAddress("telegram", "42", "u"), Agent = "planner" }, "me",
            new StoredCheckpoint(1, "{}", "work", 0), default);
        var log = Stores.Events();
        await log.AppendAsync(Events(("gone", "42", "telegram"), ("kept", "42", "telegram"), ("gone", "42", "telegram"), ("gone", "42", "telegram")), default);

        Assert.Equal(2, await log.PruneAsync(T0.AddSeconds(2.5), default));   // events 1 and 3 (event 4 is newer)
        Assert.Equal([2L, 4], (await log.ReadAsync(new EventQuery(), default)).Select(e => e.Id));
        Assert.Equal(0, await log.PruneAsync(T0.AddSeconds(2.5), default));
    }
}
