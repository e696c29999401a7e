using System.Text;
using System.Text.Json;
using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Tests.Events;

/// <summary>The live hub's fan-out (issue 13's 1,000 subscribers): publishing only queues, each subscriber gets every
/// matching event in order from a shared instance whose wire frames are encoded once, and a subscriber whose buffer is
/// full is dropped without holding up the others.</summary>
public sealed class EventHubTests
{
    [Fact]
    public async Task Every_subscriber_gets_the_same_instance_and_its_frames_are_encoded_once_for_all()
    {
        using var hub = new EventHub();
        var subscribers = Enumerable.Range(0, 3).Select(_ => hub.Subscribe(new EventQuery(), 16)).ToList();

        hub.Publish(Event(7));

        var received = new List<StoredEvent>();
        foreach (var s in subscribers) received.Add(await s.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.All(received, e => Assert.Same(received[0], e));
        Assert.All(received, e => Assert.Same(received[0].Frames, e.Frames));

        // Many writers asking at once for a fresh event's frames all get the one encoding.
        var fresh = Event(8);
        var frames = new EventFrames[64];
        Parallel.For(0, frames.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => frames[i] = fresh.Frames);
        Assert.All(frames, f => Assert.Same(frames[0], f));
    }

    [Fact]
    public void Reading_an_encoded_events_frames_allocates_nothing()
    {
        // Every stream reads each event's frames: a thousand streams must not make a thousand objects per event.
        var e = Event(9);
        _ = e.Frames.Socket;   // encoded once
        var before = GC.GetAllocatedBytesForCurrentThread();
        var length = 0;
        for (var i = 0; i < 1_000; i++) length += e.Frames.Sse.Length + e.Frames.Socket.Length + e.Frames.Json.Length;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(length > 0);
    }

    [Fact]
    public void The_frames_are_the_sse_frame_the_socket_message_and_the_json_of_one_event()
    {
        var e = Event(42);
        var json = Encoding.UTF8.GetString(e.Frames.Json.Span);

        Assert.Equal(e.ToJson(), json);
        Assert.Equal($"id: 42\nevent: {EventNames.PoState}\ndata: {json}\n\n", Encoding.UTF8.GetString(e.Frames.Sse.Span));
        Assert.Equal($"{{\"type\":\"event\",\"event\":{json}}}", Encoding.UTF8.GetString(e.Frames.Socket.Span));
        var parsed = JsonDocument.Parse(json).RootElement;
        Assert.Equal((42L, "t1", "thinking"), (parsed.GetProperty("id").GetInt64(), parsed.GetProperty("task_id").GetString(),
            parsed.GetProperty("data").GetProperty("status").GetString()));
    }

    [Fact]
    public void A_copy_made_with_with_is_encoded_from_its_own_fields()
    {
        var original = Event(1);
        _ = original.Frames;

        var copy = original with { Id = 9 };

        Assert.StartsWith("id: 9\n", Encoding.UTF8.GetString(copy.Frames.Sse.Span), StringComparison.Ordinal);
        Assert.Equal(9, JsonDocument.Parse(copy.ToJson()).RootElement.GetProperty("id").GetInt64());
        Assert.Equal(Event(1), original);   // equality looks at the fields, not at the encodings made so far
    }

    [Fact]
    public async Task Events_reach_each_subscriber_in_publish_order_filtered_by_its_query()
    {
        using var hub = new EventHub();
        var all = hub.Subscribe(new EventQuery(), 1_000);
        var odd = hub.Subscribe(new EventQuery { TaskId = "odd" }, 1_000);

        for (var id = 1; id <= 500; id++) hub.Publish(Event(id, id % 2 == 1 ? "odd" : "even"));

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), await ReadAsync(all, 500));
        Assert.Equal(Enumerable.Range(1, 500).Where(i => i % 2 == 1).Select(i => (long)i), await ReadAsync(odd, 250));
    }

    [Fact]
    public async Task A_subscriber_whose_buffer_is_full_is_dropped_and_the_others_get_everything()
    {
        using var hub = new EventHub();
        var dropped = new TaskCompletionSource<EventSubscription>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.SubscriberDropped += s => dropped.TrySetResult(s);
        var slow = hub.Subscribe(new EventQuery(), 2);
        var fast = hub.Subscribe(new EventQuery(), 100);

        for (var id = 1; id <= 10; id++) hub.Publish(Event(id));   // never waits for the slow one

        Assert.Same(slow, await dropped.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(slow.WasDropped);
        Assert.True(slow.Dropped.IsCancellationRequested);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), await ReadAsync(fast, 10));
        Assert.Equal((1, 1L), (hub.SubscriberCount, hub.DroppedCount));

        // The dropped one still hands out what it had queued, then its reader completes (awaited, not polled).
        var completion = slow.Reader.Completion;
        Assert.False(completion.IsCompleted);
        Assert.Equal([1L, 2L], await ReadAsync(slow, 2));
        Assert.False(slow.Reader.TryRead(out _));
        await completion.WaitAsync(TimeSpan.FromSeconds(30));
        using var idle = hub.Subscribe(new EventQuery(), 4);
        var idleDone = idle.Reader.Completion;
        idle.Dispose();
        await idleDone.WaitAsync(TimeSpan.FromSeconds(30));   // nothing queued: complete at once
    }

    [Fact]
    public async Task A_subscriber_that_falls_a_whole_ring_behind_is_dropped_when_it_reads_and_others_go_on()
    {
        using var hub = new EventHub();
        var laggard = hub.Subscribe(new EventQuery(), EventHub.RingSize * 2);   // its queue is not what fills up
        var reader = hub.Subscribe(new EventQuery(), 64);
        var last = EventHub.RingSize + 1;
        for (var id = 1; id <= last; id++)
        {
            hub.Publish(Event(id));
            Assert.Equal(id, (await ReadAsync(reader, 1))[0]);
        }

        Assert.False(laggard.Reader.TryRead(out _));   // event 1's slot holds event RingSize + 1 now
        Assert.True(laggard.WasDropped);
        Assert.Equal((1, 1L), (hub.SubscriberCount, hub.DroppedCount));
    }

    [Fact]
    public async Task The_ring_lets_go_of_events_every_subscriber_has_read_and_keeps_those_one_has_not()
    {
        using var hub = new EventHub();
        var laggard = hub.Subscribe(new EventQuery(), 2048);   // reads nothing
        using var reader = hub.Subscribe(new EventQuery(), 1024);
        for (var id = 1; id <= 600; id++) hub.Publish(Event(id));
        Assert.Equal(600, (await ReadAsync(reader, 600)).Count);
        Assert.True(hub.TryGet(0, out _));   // the laggard has not read it

        laggard.Dispose();
        for (var id = 601; id <= 1000; id++) hub.Publish(Event(id));
        Assert.Equal(400, (await ReadAsync(reader, 400)).Count);
        Assert.False(hub.TryGet(0, out _));   // let go of when event 768 was handed out: everyone left had read it
        Assert.True(hub.TryGet(999, out _));  // handed out after the last letting go
    }

    private static async Task<List<long>> ReadAsync(EventSubscription subscription, int count)
    {
        var ids = new List<long>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (ids.Count < count) ids.Add((await subscription.Reader.ReadAsync(timeout.Token)).Id);
        return ids;
    }

    private static StoredEvent Event(long id, string task = "t1") => new()
    {
        Id = id, Seq = id, Name = EventNames.PoState, At = DateTimeOffset.UnixEpoch, TaskId = task, ThreadId = task, Agent = "default",
        Channel = "test", ChatId = "c", Data = "{\"status\":\"thinking\"}",
    };
}
