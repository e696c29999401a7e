using System.Collections.Immutable;
using System.Threading.Channels;

namespace Moltworker.Kernel.Events;

/// <summary>
/// Fans stored-form events out to live subscribers (the SSE and WebSocket streams). <see cref="Publish"/> only queues
/// the event (constant work, whatever the number of subscribers: the recorder calls it under its lock, on the turn's
/// thread); one fan-out loop encodes it once, into the <see cref="EventRing"/>, and offers its position to each
/// subscriber's bounded buffer, in publish order. Nothing waits for a subscriber: one whose buffer is full is dropped
/// (<see cref="SubscriberDropped"/>). Dispose to end the loop.
/// </summary>
public sealed class EventHub : IDisposable
{
    private readonly Channel<StoredEvent> _outbox = Channel.CreateUnbounded<StoredEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    /// <summary>How many recent events the ring keeps for subscribers that have not read them yet (a power of two).</summary>
    public const int RingSize = EventRing.Slots;

    private ImmutableArray<EventSubscription> _subscribers = [];
    private long _dropped;
    private readonly EventRing _ring = new();

    public EventHub() => _ = Task.Run(FanOutAsync);

    /// <summary>Raised (on the fan-out loop) when a subscriber is dropped for falling behind.</summary>
    public event Action<EventSubscription>? SubscriberDropped;

    public int SubscriberCount => _subscribers.Length;

    /// <summary>Subscribers dropped for falling behind since start.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>A new subscriber; it gets the events published from now on (and may get some published just before,
    /// still on their way to the subscribers: a feed skips ids it already sent).</summary>
    public EventSubscription Subscribe(EventQuery query, int capacity)
    {
        var subscription = new EventSubscription(this, query, capacity, Remove);
        ImmutableInterlocked.Update(ref _subscribers, s => s.Add(subscription));
        return subscription;
    }

    /// <summary>Queues the event for the subscribers (in call order); never waits. With no subscriber it is not queued.</summary>
    public void Publish(StoredEvent e)
    {
        if (_subscribers.IsEmpty) return;
        _outbox.Writer.TryWrite(e);
    }

    public void Dispose() => _outbox.Writer.TryComplete();

    private async Task FanOutAsync()
    {
        var reader = _outbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
            while (reader.TryRead(out var e))
                Deliver(e);
    }

    private void Deliver(StoredEvent e)
    {
        var subscribers = _subscribers;
        if (subscribers.IsEmpty) return;
        var position = _ring.Add(e);   // encoded here, once; subscribers queue its position
        foreach (var subscriber in subscribers)
        {
            if (!subscriber.Query.Matches(e) || subscriber.Offer(position)) continue;
            if (subscriber.Drop()) CountDropped(subscriber);   // false: it had unsubscribed, and removed itself
        }
    }

    /// <summary>The event at ring position <paramref name="position"/>; false when the ring has moved past it.</summary>
    internal bool TryGet(long position, out LiveEvent e) => _ring.TryGet(position, out e);

    /// <summary>Whether what was read of ring position <paramref name="position"/> is whole (see <see cref="EventRing"/>).</summary>
    internal bool IsIntact(long position) => _ring.IsIntact(position);

    /// <summary>A subscriber was dropped for falling behind (by the fan-out loop, or by its reader finding the ring
    /// had moved past an event it had not read).</summary>
    internal void CountDropped(EventSubscription subscriber)
    {
        Remove(subscriber);
        Interlocked.Increment(ref _dropped);
        try { SubscriberDropped?.Invoke(subscriber); }
        catch (Exception) { }   // a listener's failure must not stop the fan-out
    }

    private void Remove(EventSubscription subscription) => ImmutableInterlocked.Update(ref _subscribers, s => s.Remove(subscription));
}
