using Moltworker.Kernel.Events;

namespace Moltworker.Host.Endpoints.Events;

/// <summary>Waits for a stream's next events, or for <c>interval</c> to pass without any (on the injected clock). One
/// timer serves many writes: it is armed for the interval after the last thing sent and, when it fires early (events
/// were sent meanwhile), armed again for the rest, so a busy stream does not make and cancel a timer per write.</summary>
public sealed class Heartbeat(TimeSpan interval, TimeProvider time)
{
    private Task<IReadOnlyList<StoredEvent>?>? _pending;
    private Task? _beat;
    private long _lastSent = time.GetTimestamp();

    /// <summary>The next events; an empty list when the interval passed first (send a heartbeat); null when the feed ended.</summary>
    public async Task<IReadOnlyList<StoredEvent>?> NextAsync(EventFeed feed, CancellationToken cancellationToken)
    {
        _pending ??= feed.NextAsync(cancellationToken);
        while (true)
        {
            _beat ??= Task.Delay(Max(interval - time.GetElapsedTime(_lastSent), TimeSpan.Zero), time, cancellationToken);
            if (await Task.WhenAny(_pending, _beat) == _pending)
            {
                var next = _pending;
                _pending = null;
                _lastSent = time.GetTimestamp();
                return await next;
            }
            _beat = null;
            cancellationToken.ThrowIfCancellationRequested();
            if (time.GetElapsedTime(_lastSent) < interval) continue;   // events went out meanwhile: wait the rest
            _lastSent = time.GetTimestamp();
            return [];
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
