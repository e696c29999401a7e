using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Events;

/// <summary>
/// Feeds the live hub (the SSE and WebSocket streams) from the shared event log when there is one
/// (<see cref="ISharedEventSource"/>, with <c>Moltworker:Events:Store</c> on): every event stored by any host after this
/// host started, in id order, once. Without a shared source it does nothing, and the recorder publishes locally.
/// </summary>
public sealed partial class SharedEventRelay(EventHub hub, IEventLog log, IOptions<EventsOptions> options, ILogger<SharedEventRelay> logger,
    ISharedEventSource? source = null) : BackgroundService
{
    private long _lastId;

    /// <summary>Whether this host's live streams are fed from the shared log.</summary>
    public bool Active { get; } = source is not null && options.Value.Store;

    /// <summary>The id of the last event handed to the hub.</summary>
    public long LastId => Interlocked.Read(ref _lastId);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Active) return;
        Interlocked.Exchange(ref _lastId, await log.LastIdAsync(cancellationToken));
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try { await source!.WatchAsync(LastId, Deliver, stoppingToken); }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception ex) { LogWatchEnded(ex); }
    }

    private void Deliver(IReadOnlyList<StoredEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Id <= _lastId) continue;   // a source that read a page again after a reconnect
            hub.Publish(e);
            Interlocked.Exchange(ref _lastId, e.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The shared event log's watch ended; live streams on this host get no more events until it restarts")]
    private partial void LogWatchEnded(Exception ex);
}
