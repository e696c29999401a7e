namespace Moltworker.Kernel.Events;

/// <summary>
/// One stream's events: those stored after the id it resumes from, then the live ones, with no gap and no duplicate at
/// the seam. It subscribes first (live events from then on are buffered), then has the writer store everything queued,
/// then reads the log page by page; live events with an id already sent are skipped. A feed opened without an id to
/// resume from is live only. Live events are handed out at most as often as its <see cref="StreamPacer"/> allows, all
/// those buffered meanwhile together. Dispose to unsubscribe.
/// </summary>
public sealed class EventFeed : IDisposable
{
    private const int Page = 500;

    private readonly IEventLog _log;
    private readonly EventSubscription _live;
    private readonly EventQuery _query;
    private readonly StreamPacer _pacer;
    private readonly List<StoredEvent> _batch = [];
    private long _lastSent;
    private bool _replaying;

    private EventFeed(IEventLog log, EventSubscription live, EventQuery query, long? afterId, StreamPacer pacer)
    {
        _pacer = pacer;
        _log = log;
        _live = live;
        _query = query;
        _lastSent = afterId ?? 0;
        _replaying = afterId is not null;
    }

    /// <summary>Cancelled when the subscriber fell a whole buffer behind and was dropped.</summary>
    public CancellationToken Dropped => _live.Dropped;

    public bool WasDropped => _live.WasDropped;

    public static async Task<EventFeed> OpenAsync(EventRecorder recorder, IEventLog log, EventQuery query, long? afterId, int buffer,
        StreamPacer pacer, CancellationToken cancellationToken)
    {
        var live = recorder.Hub.Subscribe(query, buffer);
        try
        {
            if (afterId is not null) await recorder.FlushAsync(cancellationToken);
            return new EventFeed(log, live, query, afterId, pacer);
        }
        catch
        {
            live.Dispose();
            throw;
        }
    }

    /// <summary>The next events in id order (never empty): everything buffered by now, so a stream writes them together.
    /// Null when the feed ended (the subscriber was dropped). The list is only valid until the next call.</summary>
    public async Task<IReadOnlyList<StoredEvent>?> NextAsync(CancellationToken cancellationToken)
    {
        if (_replaying)
        {
            var page = await _log.ReadAsync(_query with { AfterId = _lastSent, Limit = Page }, cancellationToken);
            if (page.Count < Page) _replaying = false;
            if (page.Count > 0)
            {
                _lastSent = page[^1].Id;
                return page;
            }
        }
        await _pacer.WaitAsync(cancellationToken);
        while (await _live.Reader.WaitToReadAsync(cancellationToken))
        {
            _batch.Clear();
            while (_live.Reader.TryRead(out var e))
                if (e.Id > _lastSent) _batch.Add(e);
            if (_batch.Count == 0) continue;
            _lastSent = _batch[^1].Id;
            _pacer.Wrote();
            return _batch;
        }
        return null;
    }

    public void Dispose() => _live.Dispose();
}
