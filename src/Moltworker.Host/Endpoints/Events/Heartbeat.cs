using Moltworker.Kernel.Events;

namespace Moltworker.Host.Endpoints.Events;

/// <summary>Waits for a stream's next events, or for <c>interval</c> to pass without any (on the injected clock).</summary>
public sealed class Heartbeat(TimeSpan interval, TimeProvider time)
{
    private Task<IReadOnlyList<StoredEvent>?>? _pending;

    /// <summary>The next events; an empty list when the interval passed first (send a heartbeat); null when the feed ended.</summary>
    public async Task<IReadOnlyList<StoredEvent>?> NextAsync(EventFeed feed, CancellationToken cancellationToken)
    {
        _pending ??= feed.NextAsync(cancellationToken);
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval, time, quiet.Token);
        if (await Task.WhenAny(_pending, delay) != _pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return [];
        }
        await quiet.CancelAsync();
        var next = _pending;
        _pending = null;
        return await next;
    }
}
