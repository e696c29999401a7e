using System.Collections.Immutable;
using System.Threading.Channels;

namespace Moltworker.Kernel.Events;

/// <summary>
/// Fans stored-form events out to live subscribers (the SSE and WebSocket streams). <see cref="Publish"/> only queues
/// the event (constant work, whatever the number of subscribers: the recorder calls it under its lock, on the turn's
/// thread); one fan-out loop encodes it once (<see cref="StoredEvent.Frames"/>) and offers it to each subscriber's
/// bounded buffer, in publish order. Nothing waits for a subscriber: one whose buffer is full is dropped
/// (<see cref="SubscriberDropped"/>). Dispose to end the loop.
/// </summary>
public sealed class EventHub : IDisposable
{
    private readonly Channel<StoredEvent> _outbox = Channel.CreateUnbounded<StoredEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });
    private ImmutableArray<EventSubscription> _subscribers = [];
    private long _dropped;

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
        var subscription = new EventSubscription(query, capacity, Remove);
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
        _ = e.Frames;   // encoded here, once, before any subscriber's writer needs it
        foreach (var subscriber in subscribers)
        {
            if (!subscriber.Query.Matches(e) || subscriber.Offer(e)) continue;
            Remove(subscriber);
            if (!subscriber.Drop()) continue;
            Interlocked.Increment(ref _dropped);
            try { SubscriberDropped?.Invoke(subscriber); }
            catch (Exception) { }   // a listener's failure must not stop the fan-out
        }
    }

    private void Remove(EventSubscription subscription) => ImmutableInterlocked.Update(ref _subscribers, s => s.Remove(subscription));
}
