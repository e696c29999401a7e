using System.Runtime.CompilerServices;

namespace Moltworker.Kernel.Events;

/// <summary>
/// One stream's events: those stored after the id it resumes from, then the live ones, with no gap and no duplicate at
/// the seam. It subscribes first (live events from then on are buffered), then has the writer store everything queued,
/// then reads the log page by page; live events with an id already sent are skipped. A feed opened without an id to
/// resume from is live only. Live events are handed out at most as often as its <see cref="StreamPacer"/> allows, all
/// those buffered meanwhile together. A stream waits on one reusable <see cref="StreamSignal"/>; <see cref="NextAsync"/>'s
/// state comes from a pool, but with many streams waiting at once the pool is empty and each wait that suspends makes
/// one. Dispose to unsubscribe.
/// </summary>
public sealed class EventFeed : IDisposable
{
    private const int Page = 500;

    private readonly IEventLog _log;
    private readonly EventSubscription _live;
    private readonly EventQuery _query;
    private readonly StreamPacer _pacer;
    private readonly StreamSignal _signal;
    private readonly TimeProvider _time;
    private readonly CancellationToken _ends;
    private readonly List<StoredEvent> _batch = [];
    private long _lastSent;
    private long _lastHandedOut;
    private bool _replaying;

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
    /// next call.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<IReadOnlyList<StoredEvent>?> NextAsync(TimeSpan quiet, CancellationToken stop)
    {
        // The last batch was sent: let go of its events before waiting. Held by an idle stream, they would be kept alive
        // until its next write: with many streams, every recent event, marked and copied by each collection.
        _batch.Clear();
        if (_replaying)
        {
            var page = await _log.ReadAsync(_query with { AfterId = _lastSent, Limit = Page }, stop);
            if (page.Count < Page) _replaying = false;
            if (page.Count > 0)
            {
                _lastSent = page[^1].Id;
                _lastHandedOut = _time.GetTimestamp();
                return page;
            }
        }
        // The pacing gap after the last write; events arriving meanwhile do not wake the stream and go out together.
        for (var due = _pacer.Due(); due > TimeSpan.Zero && !Ended(stop); due = _pacer.Due())
            await _signal.WaitAsync(due, orEvents: false);
        while (!Ended(stop))
        {
            if (TakeBuffered()) return _batch;
            if (_live.Reader.Completion.IsCompleted) return null;   // dropped: the buffer was completed
            var untilQuiet = quiet == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : quiet - _time.GetElapsedTime(_lastHandedOut);
            if (untilQuiet != Timeout.InfiniteTimeSpan && untilQuiet <= TimeSpan.Zero)
            {
                _lastHandedOut = _time.GetTimestamp();
                return _batch;   // empty: TakeBuffered found nothing
            }
            var wait = _signal.WaitAsync(untilQuiet, orEvents: true);
            if (_live.Reader.TryPeek(out _) || _live.Reader.Completion.IsCompleted) _signal.OfferArrived();   // came in just before the wait
            await wait;
        }
        return null;
    }

    /// <summary>The stream ended: the token the feed was opened with, or this call's, was cancelled.</summary>
    private bool Ended(CancellationToken stop) => stop.IsCancellationRequested || _ends.IsCancellationRequested;

    private bool TakeBuffered()
    {
        _batch.Clear();
        while (_live.Reader.TryRead(out var e))
            if (e.Id > _lastSent) _batch.Add(e);
        if (_batch.Count == 0) return false;
        _lastSent = _batch[^1].Id;
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
