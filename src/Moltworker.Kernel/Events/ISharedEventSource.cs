namespace Moltworker.Kernel.Events;

/// <summary>
/// The events every host sharing the event log stores (the PostgreSQL log), as they commit. A log shared by several
/// hosts numbers events itself, in commit order, so the ids a host's <see cref="EventRecorder"/> gives are not kept;
/// with a source registered (and <c>Moltworker:Events:Store</c> on), the recorder therefore hands nothing to the live
/// hub itself and <see cref="SharedEventRelay"/> delivers every event, this host's own included, from here: each once,
/// with its stored id.
/// </summary>
public interface ISharedEventSource
{
    /// <summary>Hands <paramref name="deliver"/> every event stored after <paramref name="afterId"/>, by any host, in id
    /// order and in batches, until <paramref name="cancellationToken"/> ends it. A lost connection is opened again and
    /// the source catches up from the last id it delivered, so nothing is skipped and nothing delivered twice.</summary>
    Task WatchAsync(long afterId, Action<IReadOnlyList<StoredEvent>> deliver, CancellationToken cancellationToken);
}
