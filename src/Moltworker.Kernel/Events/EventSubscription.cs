using System.Threading.Channels;

namespace Moltworker.Kernel.Events;

/// <summary>
/// One live subscriber of <see cref="EventHub"/>: a bounded buffer of the events that match its query. When the buffer
/// is full the subscriber is dropped: <see cref="Dropped"/> is cancelled and the reader completes, so the stream ends
/// instead of the kernel waiting. Dispose to unsubscribe.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly Channel<StoredEvent> _buffer;
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<EventSubscription> _remove;
    private int _closed;

    internal EventSubscription(EventQuery query, int capacity, Action<EventSubscription> remove)
    {
        Query = query;
        _remove = remove;
        _buffer = Channel.CreateBounded<StoredEvent>(new BoundedChannelOptions(Math.Max(1, capacity))
            { SingleReader = true, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });
    }

    public EventQuery Query { get; }

    public ChannelReader<StoredEvent> Reader => _buffer.Reader;

    /// <summary>Cancelled when the subscriber fell a whole buffer behind and was dropped.</summary>
    public CancellationToken Dropped => _dropped.Token;

    public bool WasDropped => _dropped.IsCancellationRequested;

    /// <summary>The stream's wake-up, told of each offered event (a stream waiting for events wakes; one waiting out
    /// its pacing does not).</summary>
    internal StreamSignal? Signal { get; set; }

    /// <summary>Offers an event; false when the buffer is full (the hub then drops the subscriber).</summary>
    internal bool Offer(StoredEvent e)
    {
        if (!_buffer.Writer.TryWrite(e)) return false;
        Signal?.OfferArrived();
        return true;
    }

    /// <summary>Ends the subscription for falling behind; false when it had already ended (disposed by its reader).</summary>
    internal bool Drop()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return false;
        _buffer.Writer.TryComplete();
        _dropped.Cancel();
        Signal?.OfferArrived();
        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _remove(this);
        _buffer.Writer.TryComplete();
    }
}
