using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Moltworker.Kernel.Events;

/// <summary>
/// One live subscriber of <see cref="EventHub"/>: a bounded queue of the events that match its query. The queue holds
/// the events' positions in the hub's <see cref="EventRing"/>, not the events: the GC finds no reference to an event
/// there, where a queue of references per subscriber gave every gen0 collection hundreds of thousands of old-to-young
/// references to visit with 1,000 streams. When the queue is full, or the subscriber fell so
/// far behind that the ring has moved past an event it has not read, the subscriber is dropped: <see cref="Dropped"/>
/// is cancelled and the reader ends after what is still readable, so the stream ends instead of the kernel waiting.
/// One reader at a time. Dispose to unsubscribe.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly EventHub _hub;
    private readonly long[] _positions;
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<EventSubscription> _remove;
    private readonly SubscriptionReader _reader;
    private long _written;   // positions offered (the hub's fan-out loop is the only writer)
    private long _read;      // positions taken (the reader's)
    private int _closed;
    private TaskCompletionSource<bool>? _waiter;

    internal EventSubscription(EventHub hub, EventQuery query, int capacity, Action<EventSubscription> remove)
    {
        _hub = hub;
        Query = query;
        _remove = remove;
        _positions = new long[Math.Max(1, capacity)];
        _reader = new SubscriptionReader(this);
    }

    public EventQuery Query { get; }

    internal EventHub Hub => _hub;

    /// <summary>The events, in publish order. <c>TryRead</c>, <c>TryPeek</c>, <c>WaitToReadAsync</c> (and so
    /// <c>ReadAsync</c>) and <c>Completion</c> (the subscription ended and everything readable was read).</summary>
    public ChannelReader<LiveEvent> Reader => _reader;

    /// <summary>Cancelled when the subscriber fell a whole buffer behind and was dropped.</summary>
    public CancellationToken Dropped => _dropped.Token;

    public bool WasDropped => _dropped.IsCancellationRequested;

    /// <summary>The stream's wake-up, told of each offered event (a stream waiting for events wakes; one waiting out
    /// its pacing does not).</summary>
    internal StreamSignal? Signal { get; set; }

    /// <summary>Offers the event at ring position <paramref name="position"/>; false when the queue is full (the hub
    /// then drops the subscriber).</summary>
    internal bool Offer(long position)
    {
        if (Volatile.Read(ref _closed) != 0) return true;
        var written = _written;
        if (written - Volatile.Read(ref _read) >= _positions.Length) return false;
        _positions[written % _positions.Length] = position;
        Volatile.Write(ref _written, written + 1);
        WakeReader();
        return true;
    }

    /// <summary>Ends the subscription for falling behind; false when it had already ended (disposed by its reader).</summary>
    internal bool Drop()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return false;
        _dropped.Cancel();
        Wake();
        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _remove(this);
        Wake();
    }

    private void Wake()
    {
        if (Ended) _reader.Complete();
        WakeReader();
    }

    /// <summary>Wakes whoever waits to read: the stream's signal, or a <c>WaitToReadAsync</c>.</summary>
    private void WakeReader()
    {
        Signal?.OfferArrived();
        Interlocked.Exchange(ref _waiter, null)?.TrySetResult(true);
    }

    private bool TryTake(bool advance, out LiveEvent e)
    {
        var read = _read;
        if (read < Volatile.Read(ref _written))
        {
            if (_hub.TryGet(_positions[read % _positions.Length], out e))
            {
                if (advance) Volatile.Write(ref _read, read + 1);
                return true;
            }
            // The ring moved past it: this subscriber fell a whole ring behind.
            Volatile.Write(ref _read, Volatile.Read(ref _written));
            if (Drop()) _hub.CountDropped(this);
        }
        e = default;
        if (Ended) _reader.Complete();
        return false;
    }

    /// <summary>Whether the bytes of <paramref name="e"/>, copied since it was read, were whole; if not, the subscriber
    /// fell a whole ring behind and is dropped.</summary>
    internal bool Intact(in LiveEvent e)
    {
        if (e.Position < 0 || _hub.IsIntact(e.Position)) return true;
        if (Drop()) _hub.CountDropped(this);
        return false;
    }

    private bool Ended => Volatile.Read(ref _closed) != 0 && Volatile.Read(ref _read) >= Volatile.Read(ref _written);

    private sealed class SubscriptionReader(EventSubscription s) : ChannelReader<LiveEvent>
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanPeek => true;

        /// <summary>Completes when the subscription ended and its reader found nothing more to read.</summary>
        public override Task Completion
        {
            get
            {
                if (s.Ended) Complete();
                return _completion.Task;
            }
        }

        public void Complete() => _completion.TrySetResult();

        public override bool TryRead([MaybeNullWhen(false)] out LiveEvent item) => s.TryTake(advance: true, out item);

        public override bool TryPeek([MaybeNullWhen(false)] out LiveEvent item) => s.TryTake(advance: false, out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<bool>(cancellationToken);
            if (s.TryTake(advance: false, out _)) return new ValueTask<bool>(true);
            if (s.Ended) return new ValueTask<bool>(false);
            var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref s._waiter, waiter);   // a full fence before the look below (see StreamSignal.WaitAsync)
            if (s.TryTake(advance: false, out _) || Volatile.Read(ref s._closed) != 0) waiter.TrySetResult(true);   // came in meanwhile
            return new ValueTask<bool>(WaitAsync(waiter.Task, cancellationToken));
        }

        private async Task<bool> WaitAsync(Task<bool> woken, CancellationToken cancellationToken)
        {
            await woken.WaitAsync(cancellationToken).ConfigureAwait(false);
            return !s.Ended || s.TryTake(advance: false, out _);
        }
    }
}
