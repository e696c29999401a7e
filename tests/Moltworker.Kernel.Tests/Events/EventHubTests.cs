using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Tests.Events;

/// <summary>The live hub's fan-out (issue 13's 1,000 subscribers): publishing only queues, each subscriber gets every
/// matching event in order, encoded once into the hub's ring for all of them, the ring keeps no event object alive, and
/// a subscriber whose buffer is full, or that fell a whole ring behind, is dropped without holding up the others.</summary>
public sealed class EventHubTests
{
    [Fact]
    public async Task Every_subscriber_reads_one_encoding_of_an_event_and_it_is_the_events_own()
    {
        using var hub = new EventHub();
        var subscribers = Enumerable.Range(0, 3).Select(_ => hub.Subscribe(new EventQuery(), 16)).ToList();

        hub.Publish(Event(7));

        var received = new List<LiveEvent>();
        foreach (var s in subscribers) received.Add(await s.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(MemoryMarshal.TryGetArray(received[0].Sse, out var first));
        Assert.All(received, e =>
        {
            Assert.True(MemoryMarshal.TryGetArray(e.Sse, out var bytes));
            Assert.Same(first.Array, bytes.Array);   // one copy in the ring, however many streams
            Assert.Equal(first.Offset, bytes.Offset);
        });
        Assert.Equal(Event(7).Frames.Sse.ToArray(), received[0].Sse.ToArray());
        Assert.Equal(Event(7).Frames.Json.ToArray(), received[0].Json.ToArray());
        Assert.Equal((7L, EventNames.PoState), (received[0].Id, received[0].Name));

        // Many writers asking at once for a stored event's frames (a replay) all get the one encoding.
        var fresh = Event(8);
        var frames = new EventFrames[64];
        Parallel.For(0, frames.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => frames[i] = fresh.Frames);
        Assert.All(frames, f => Assert.Same(frames[0], f));
    }

    [Fact]
    public void Reading_an_encoded_events_frames_allocates_nothing()
    {
        var e = Event(9);
        _ = e.Frames;   // encoded once
        var before = GC.GetAllocatedBytesForCurrentThread();
        var length = 0;
        for (var i = 0; i < 1_000; i++) length += e.Frames.Sse.Length + e.Frames.Json.Length;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(length > 0);
    }

    [Fact]
    public void The_frames_are_the_sse_frame_and_the_json_of_one_event()
    {
        foreach (var id in new long[] { 0, 9, 10, 42, 99_999, 100_000, long.MaxValue })
        {
            var e = Event(id);
            var json = Encoding.UTF8.GetString(e.Frames.Json.Span);

            Assert.Equal(e.ToJson(), json);
            Assert.Equal($"id: {id}\nevent: {EventNames.PoState}\ndata: {json}\n\n", Encoding.UTF8.GetString(e.Frames.Sse.Span));
            var parsed = JsonDocument.Parse(json).RootElement;
            Assert.Equal((id, "t1", "thinking"), (parsed.GetProperty("id").GetInt64(), parsed.GetProperty("task_id").GetString(),
                parsed.GetProperty("data").GetProperty("status").GetString()));
        }
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
    public async Task The_ring_holds_no_reference_to_an_event_a_subscriber_has_not_read_yet()
    {
        using var hub = new EventHub();
        using var laggard = hub.Subscribe(new EventQuery(), 64);   // reads it only after the collection
        using var reader = hub.Subscribe(new EventQuery(), 64);
        var published = PublishAndForget(hub, Event(5));
        Assert.Equal([5L], await ReadAsync(reader, 1));   // delivered: queued for the laggard, in the ring

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(published.IsAlive);   // nothing of the hub keeps the event (a gen0 collection would copy it)
        Assert.True(laggard.Reader.TryRead(out var e));
        Assert.Equal(Event(5).Frames.Sse.ToArray(), e.Sse.ToArray());
    }

    [Fact]
    public async Task Frames_read_from_the_ring_are_whole_across_the_arenas_end_and_a_copy_the_ring_overwrote_is_caught()
    {
        using var hub = new EventHub();
        var laggard = hub.Subscribe(new EventQuery(), 1_000);
        using var reader = hub.Subscribe(new EventQuery(), 16);
        hub.Publish(Event(1));
        Assert.Equal([1L], await ReadAsync(reader, 1));
        Assert.True(laggard.Reader.TryRead(out var old));   // a stream took it and is copying its bytes

        // Frames of 10 to 60 KB: 200 of them go round the 4 MB arena twice; none may straddle its end.
        var random = new Random(13);
        var bytes = 0L;
        for (var id = 2; bytes < 2L * EventRing.ArenaBytes; id++)
        {
            var e = Event(id, data: $"{{\"text\":\"{new string('x', random.Next(10_000, 60_000))}\"}}");
            hub.Publish(e);
            var read = await reader.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(e.Frames.Sse.ToArray(), read.Sse.ToArray());
            Assert.True(reader.Intact(read));
            bytes += read.Sse.Length;
        }

        Assert.False(laggard.Intact(old));   // its bytes were written over meanwhile: the copy must not be sent
        Assert.True(laggard.WasDropped);
        Assert.Equal(1L, hub.DroppedCount);
    }

    [Fact]
    public async Task A_frame_larger_than_the_rings_share_of_the_arena_keeps_its_own_bytes_and_reads_whole()
    {
        using var hub = new EventHub();
        using var reader = hub.Subscribe(new EventQuery(), 16);
        var big = Event(1, data: $"{{\"text\":\"{new string('y', EventRing.LargeFrame)}\"}}");

        hub.Publish(big);
        hub.Publish(Event(2));

        var read = await reader.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(big.Frames.Sse.ToArray(), read.Sse.ToArray());
        Assert.Equal(big.Frames.Json.ToArray(), read.Json.ToArray());
        Assert.True(reader.Intact(read));
        Assert.Equal(Event(2).Frames.Sse.ToArray(), (await reader.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Sse.ToArray());
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference PublishAndForget(EventHub hub, StoredEvent e)
    {
        hub.Publish(e);
        return new WeakReference(e);
    }

    private static async Task<List<long>> ReadAsync(EventSubscription subscription, int count)
    {
        var ids = new List<long>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (ids.Count < count) ids.Add((await subscription.Reader.ReadAsync(timeout.Token)).Id);
        return ids;
    }

    private static StoredEvent Event(long id, string task = "t1", string data = "{\"status\":\"thinking\"}") => new()
    {
        Id = id, Seq = id, Name = EventNames.PoState, At = DateTimeOffset.UnixEpoch, TaskId = task, ThreadId = task, Agent = "default",
        Channel = "test", ChatId = "c", Data = data,
    };
}
