using System.Threading.Tasks.Sources;

namespace Moltworker.Kernel.Events;

/// <summary>
/// One stream's events: those stored after the id it resumes from, then the live ones, with no gap and no duplicate at
/// the seam. It subscribes first (live events from then on are buffered), then has the writer store everything queued,
/// then reads the log page by page; live events with an id already sent are skipped. A feed opened without an id to
/// resume from is live only. Live events are handed out at most as often as its <see cref="StreamPacer"/> allows, all
/// those buffered meanwhile together. A stream waits on one reusable <see cref="StreamSignal"/>, and a
/// <see cref="NextAsync"/> that has to wait completes through the feed itself (it is the call's
/// <see cref="IValueTaskSource{TResult}"/>), so a waiting stream allocates nothing: with 1,000 streams, the async state
/// a wait made before (pooled, but the pool is empty with many waiting at once) was the largest thing each gen0
/// collection copied once the events were out of the heap (<see cref="EventRing"/>); both waits use
/// <see cref="ReusableValueTaskCore{TResult}"/>, whose hand-over flags no card of these old objects. One call at a time. Dispose to
/// unsubscribe.
/// </summary>
public sealed class EventFeed : IValueTaskSource<IReadOnlyList<LiveEvent>?>, IDisposable
{
    private const int Page = 500;

    private readonly IEventLog _log;
    private readonly EventSubscription _live;
    private readonly EventQuery _query;
    private readonly StreamPacer _pacer;
    private readonly StreamSignal _signal;
    private readonly TimeProvider _time;
    private readonly CancellationToken _ends;
    private readonly EventBatch _batch;
    private long _lastSent;
    private long _lastHandedOut;
    private bool _replaying;
    private ReusableValueTaskCore<IReadOnlyList<LiveEvent>?> _next;   // completes on the thread that woke it
    private readonly Action _onWoken;
    private TimeSpan _quiet;
    private CancellationToken _stop;
    private bool _pacing;

    private EventFeed(IEventLog log, EventSubscription live, EventQuery query, long? afterId, StreamPacer pacer, TimeProvider time,
        CancellationToken stop)
    {
        _pacer = pacer;
        _log = log;
        _live = live;
        _query = query;
        _time = time;
        _lastSent = afterId ?? 0;
        _lastHandedOut = time.GetTimestamp();
        _replaying = afterId is not null;
        _ends = stop;
        _signal = new StreamSignal(time, stop);
        _onWoken = OnWoken;
        _batch = new EventBatch(live.Hub);
        live.Signal = _signal;
    }

    /// <summary>Cancelled when the subscriber fell a whole buffer behind and was dropped.</summary>
    public CancellationToken Dropped => _live.Dropped;

    public bool WasDropped => _live.WasDropped;

    /// <summary>Opens the feed; <paramref name="stop"/> ends its waits (the stream's end), <paramref name="cancellationToken"/>
    /// only the opening.</summary>
    public static async Task<EventFeed> OpenAsync(EventRecorder recorder, IEventLog log, EventQuery query, long? afterId, int buffer,
        StreamPacer pacer, TimeProvider time, CancellationToken stop, CancellationToken cancellationToken)
    {
        var live = recorder.Hub.Subscribe(query, buffer);
        try
        {
            if (afterId is not null) await recorder.FlushAsync(cancellationToken);
            return new EventFeed(log, live, query, afterId, pacer, time, stop);
        }
        catch
        {
            live.Dispose();
            throw;
        }
    }

    /// <summary>A live-only feed straight from the hub (nothing stored is replayed).</summary>
    internal static EventFeed Live(EventHub hub, EventQuery query, int buffer, StreamPacer pacer, TimeProvider time, CancellationToken stop) =>
        new(new NoEventLog(), hub.Subscribe(query, buffer), query, null, pacer, time, stop);

    /// <summary>The next events in id order: everything buffered by now, so a stream writes them together. Empty when
    /// <paramref name="quiet"/> passed since the last hand-out without any (time for a heartbeat; infinite: never). Null
    /// when the feed ended (the subscriber was dropped, or <c>stop</c> was cancelled). The list is only valid until the
    /// next call; copy the events' bytes, then check <see cref="Intact(IReadOnlyList{LiveEvent})"/> before sending the copy.</summary>
    public ValueTask<IReadOnlyList<LiveEvent>?> NextAsync(TimeSpan quiet, CancellationToken stop)
    {
        // The last batch was sent: let go of it before waiting.
        _batch.Clear();
        if (_replaying) return ReplayAsync(quiet, stop);
        _quiet = quiet;
        _stop = stop;
        _pacing = true;
        if (TryStep(out var ready, out var wait)) return new ValueTask<IReadOnlyList<LiveEvent>?>(ready);
        _next.Reset();
        ResumeWhenWoken(wait);
        return new ValueTask<IReadOnlyList<LiveEvent>?>(this, _next.Version);
    }

    /// <summary>Catching up from the log, a page at a time, then live.</summary>
    private async ValueTask<IReadOnlyList<LiveEvent>?> ReplayAsync(TimeSpan quiet, CancellationToken stop)
    {
        var page = await _log.ReadAsync(_query with { AfterId = _lastSent, Limit = Page }, stop);
        if (page.Count < Page) _replaying = false;
        if (page.Count == 0) return await NextAsync(quiet, stop);
        _lastSent = page[^1].Id;
        _lastHandedOut = _time.GetTimestamp();
        _batch.AddReplayed(page);
        return _batch;
    }

    /// <summary>One look: true with what to hand out (null: the feed ended), or false with the signal's wait armed.
    /// First the pacing gap after the last write (events arriving meanwhile do not wake the stream and go out
    /// together), then the events buffered, the end, or the quiet interval.</summary>
    private bool TryStep(out IReadOnlyList<LiveEvent>? ready, out ValueTask wait)
    {
        ready = null;
        wait = default;
        if (Ended) return true;
        if (_pacing)
        {
            var due = _pacer.Due();
            if (due > TimeSpan.Zero)
            {
                wait = _signal.WaitAsync(due, orEvents: false);
                return false;
            }
            _pacing = false;
        }
        if (TakeBuffered())
        {
            ready = _batch;
            return true;
        }
        if (_live.Reader.Completion.IsCompleted) return true;   // dropped: the buffer was completed
        var untilQuiet = _quiet == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : _quiet - _time.GetElapsedTime(_lastHandedOut);
        if (untilQuiet != Timeout.InfiniteTimeSpan && untilQuiet <= TimeSpan.Zero)
        {
            _lastHandedOut = _time.GetTimestamp();
            ready = _batch;   // empty: TakeBuffered found nothing
            return true;
        }
        wait = _signal.WaitAsync(untilQuiet, orEvents: true);
        if (_live.Reader.TryPeek(out _) || _live.Reader.Completion.IsCompleted) _signal.OfferArrived();   // came in just before the wait
        return false;
    }

    /// <summary>Has the signal call <see cref="OnWoken"/> (a cached delegate: nothing is allocated per wait).</summary>
    private void ResumeWhenWoken(ValueTask wait) => wait.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onWoken);

    /// <summary>The signal fired (on the thread pool): look again, and either complete this call or wait again.</summary>
    private void OnWoken()
    {
        try
        {
            if (TryStep(out var ready, out var wait)) _next.SetResult(ready);
            else ResumeWhenWoken(wait);
        }
        catch (Exception ex)
        {
            _next.SetException(ex);
        }
    }

    IReadOnlyList<LiveEvent>? IValueTaskSource<IReadOnlyList<LiveEvent>?>.GetResult(short token) => _next.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<IReadOnlyList<LiveEvent>?>.GetStatus(short token) => _next.GetStatus(token);

    void IValueTaskSource<IReadOnlyList<LiveEvent>?>.OnCompleted(Action<object?> continuation, object? state, short token,
        ValueTaskSourceOnCompletedFlags flags) => _next.OnCompleted(continuation, state, token, flags);

    /// <summary>Whether the bytes of <paramref name="batch"/>, copied since <see cref="NextAsync"/> handed it out, were
    /// whole (a live event's bytes are overwritten once the hub's ring has moved on). False: the subscriber fell a whole
    /// ring behind and is dropped; do not send the copy.</summary>
    public bool Intact(IReadOnlyList<LiveEvent> batch)
    {
        // The oldest live one: if it is whole, so are the later ones (a replayed batch has its own bytes).
        return batch.Count == 0 || _live.Intact(batch[0]);
    }

    /// <summary>Whether the bytes of one event of the batch, copied since, were whole (see the list's overload).</summary>
    public bool Intact(in LiveEvent e) => _live.Intact(e);

    /// <summary>The stream ended: the token the feed was opened with, or this call's, was cancelled.</summary>
    private bool Ended => _stop.IsCancellationRequested || _ends.IsCancellationRequested;

    private bool TakeBuffered()
    {
        _batch.Clear();
        var last = _lastSent;
        while (_live.Reader.TryRead(out var e))
        {
            if (e.Id <= last) continue;
            _batch.AddLive(e.Position);
            last = e.Id;
        }
        if (_batch.Count == 0) return false;
        _lastSent = last;
        _lastHandedOut = _time.GetTimestamp();
        _pacer.Wrote();
        return true;
    }

    public void Dispose()
    {
        _live.Signal = null;
        _live.Dispose();
        _signal.Dispose();
    }
}
