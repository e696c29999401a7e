using System.Collections.Immutable;

namespace Moltworker.Kernel.Events;

/// <summary>
/// Fans stored-form events out to live subscribers (the SSE and WebSocket streams). <see cref="Publish"/> never waits:
/// each subscriber has a bounded buffer, and one whose buffer is full is dropped (<see cref="SubscriberDropped"/>).
/// </summary>
public sealed class EventHub
{
    private ImmutableArray<EventSubscription> _subscribers = [];
    private long _dropped;

    /// <summary>Raised (on the publishing thread) when a subscriber is dropped for falling behind.</summary>
    public event Action<EventSubscription>? SubscriberDropped;

    public int SubscriberCount => _subscribers.Length;

    /// <summary>Subscribers dropped for falling behind since start.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    public EventSubscription Subscribe(EventQuery query, int capacity)
    {
        var subscription = new EventSubscription(query, capacity, Remove);
        ImmutableInterlocked.Update(ref _subscribers, s => s.Add(subscription));
        return subscription;
    }

    public void Publish(StoredEvent e)
    {
        foreach (var subscriber in _subscribers)
        {
            if (!subscriber.Query.Matches(e) || subscriber.Offer(e)) continue;
            Remove(subscriber);
            if (!subscriber.Drop()) continue;
            Interlocked.Increment(ref _dropped);
            SubscriberDropped?.Invoke(subscriber);
        }
    }

    private void Remove(EventSubscription subscription) => ImmutableInterlocked.Update(ref _subscribers, s => s.Remove(subscription));
}
