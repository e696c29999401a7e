using Microsoft.Extensions.Time.Testing;
using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Tests.Events;

/// <summary>A stream's live feed waits on one reusable signal (<see cref="StreamSignal"/>): an offered event wakes a
/// stream waiting for events, a stream waiting out its pacing is not woken by events, a quiet interval hands out an
/// empty batch (the heartbeat), and a dropped subscriber or a cancelled stream ends the feed. Times on a fake clock.</summary>
public sealed class EventFeedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_waiting_feed_wakes_for_each_offered_event_again_and_again()
    {
        using var hub = new EventHub();
        var clock = new FakeTimeProvider();
        using var feed = EventFeed.Live(hub, new EventQuery(), 16, new StreamPacer(hub, 0, clock), clock, CancellationToken.None);

        for (var id = 1; id <= 3; id++)
        {
            var next = feed.NextAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();
            Assert.False(next.IsCompleted);
            hub.Publish(Event(id));
            var batch = await next.WaitAsync(Patience);
            Assert.Equal([id], batch!.Select(e => e.Id));
        }
    }

    [Fact]
    public async Task A_quiet_interval_hands_out_an_empty_batch_measured_from_the_last_hand_out()
    {
        using var hub = new EventHub();
        var clock = new FakeTimeProvider();
        using var feed = EventFeed.Live(hub, new EventQuery(), 16, new StreamPacer(hub, 0, clock), clock, CancellationToken.None);

        var next = feed.NextAsync(TimeSpan.FromSeconds(15), CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(14.9));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Empty((await next.WaitAsync(Patience))!);

        next = feed.NextAsync(TimeSpan.FromSeconds(15), CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(14.9));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Empty((await next.WaitAsync(Patience))!);
    }

    [Fact]
    public async Task While_it_waits_out_its_pacing_events_do_not_wake_it_and_then_go_out_together()
    {
        using var hub = new EventHub();
        var others = Enumerable.Range(0, 8).Select(_ => hub.Subscribe(new EventQuery(), 16)).ToList();
        var clock = new FakeTimeProvider();
        // 10 subscribers (8, the feed and the probe) at 1,000 writes a second: a gap of 5 to 15 ms after each write.
        using var feed = EventFeed.Live(hub, new EventQuery(), 16, new StreamPacer(hub, 1_000, clock), clock, CancellationToken.None);
        using var probe = hub.Subscribe(new EventQuery(), 16);   // subscribed after the feed: it gets each event after the feed does

        hub.Publish(Event(1));
        Assert.Equal([1L], (await feed.NextAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask().WaitAsync(Patience))!.Select(e => e.Id));

        var next = feed.NextAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();   // starts its gap at once
        hub.Publish(Event(2));
        hub.Publish(Event(3));
        for (var id = 1; id <= 3; id++) Assert.Equal(id, (await probe.Reader.ReadAsync().AsTask().WaitAsync(Patience)).Id);
        clock.Advance(TimeSpan.FromMilliseconds(4.9));
        Assert.False(next.IsCompleted);   // two events are buffered, but the gap is not over

        clock.Advance(TimeSpan.FromMilliseconds(10.2));
        Assert.Equal([2L, 3L], (await next.WaitAsync(Patience))!.Select(e => e.Id));
        foreach (var s in others) s.Dispose();
    }

    [Fact]
    public async Task A_dropped_subscriber_gets_what_was_buffered_then_the_end_and_a_cancelled_stream_ends()
    {
        using var hub = new EventHub();
        var clock = new FakeTimeProvider();
        using var feed = EventFeed.Live(hub, new EventQuery(), 1, new StreamPacer(hub, 0, clock), clock, CancellationToken.None);
        using var probe = hub.Subscribe(new EventQuery(), 16);

        hub.Publish(Event(1));
        hub.Publish(Event(2));   // the feed's buffer holds one: it is dropped
        for (var id = 1; id <= 2; id++) await probe.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.True(feed.WasDropped);
        Assert.Equal([1L], (await feed.NextAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask().WaitAsync(Patience))!.Select(e => e.Id));
        Assert.Null(await feed.NextAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask().WaitAsync(Patience));

        using var cancelledFirst = new CancellationTokenSource();
        using (var gone = EventFeed.Live(hub, new EventQuery(), 16, new StreamPacer(hub, 0, clock), clock, cancelledFirst.Token))
        {
            await cancelledFirst.CancelAsync();
            Assert.Null(await gone.NextAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask().WaitAsync(Patience));   // its end is seen by a wait that begins after it
        }

        using var stop = new CancellationTokenSource();
        using var other = EventFeed.Live(hub, new EventQuery(), 16, new StreamPacer(hub, 0, clock), clock, stop.Token);
        var waiting = other.NextAsync(Timeout.InfiniteTimeSpan, stop.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        await stop.CancelAsync();
        Assert.Null(await waiting.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_batch_whose_bytes_the_ring_wrote_over_is_not_intact_and_the_feed_is_dropped()
    {
        using var hub = new EventHub();
        var clock = new FakeTimeProvider();
        using var feed = EventFeed.Live(hub, new EventQuery(), 1_000, new StreamPacer(hub, 0, clock), clock, CancellationToken.None);
        using var probe = hub.Subscribe(new EventQuery(), 16);

        hub.Publish(Event(1));
        var batch = (await feed.NextAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask().WaitAsync(Patience))!;
        Assert.True(feed.Intact(batch));   // nothing written over yet: its copy may be sent
        await probe.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        // While the stream copies event 1, 120 events of 40 KB go round the 4 MB ring's arena.
        var big = $"{{\"text\":\"{new string('x', 40_000)}\"}}";
        for (var id = 2; id <= 121; id++)
        {
            hub.Publish(Event(id) with { Data = big });
            await probe.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        }

        Assert.False(feed.Intact(batch));
        Assert.True(feed.WasDropped);
    }

    private static StoredEvent Event(long id) => new()
    {
        Id = id, Seq = id, Name = EventNames.PoState, At = DateTimeOffset.UnixEpoch, TaskId = "t1", ThreadId = "t1", Agent = "default",
        Channel = "test", ChatId = "c", Data = "{\"status\":\"thinking\"}",
    };
}
