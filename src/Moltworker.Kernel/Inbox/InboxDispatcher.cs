using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Inbox;

/// <summary>
/// The durable inbox: accepts items (stored before they are acknowledged), then hands them to the
/// <see cref="IInboxHandler"/> of their source, one at a time per order key and concurrently across keys
/// up to <c>Moltworker:Inbox:MaxConcurrentChats</c>. Items accepted before a restart are handled after it.
/// </summary>
public sealed partial class InboxDispatcher(
    IInboxStore store,
    IEnumerable<IInboxHandler> handlers,
    IOptions<InboxOptions> options,
    ILogger<InboxDispatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, IInboxHandler> _handlers = handlers.ToDictionary(h => h.Source, StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentChats));
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<InboxItem>> _queues = [];
    private readonly HashSet<long> _known = [];
    private CancellationToken _stopping;

    /// <summary>Stores the item durably and schedules it. False when it was a duplicate.</summary>
    public async Task<bool> AcceptAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken)
    {
        var added = await store.EnqueueAsync(source, externalId, orderKey, payload, cancellationToken);
        if (added) _signal.Release();
        return added;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await ScheduleAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex) { LogScheduleFailed(ex); }
            try { await _signal.WaitAsync(stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }

    private async Task ScheduleAsync(CancellationToken cancellationToken)
    {
        var pending = await store.PendingAsync(options.Value.FetchSize, cancellationToken);
        lock (_gate)
        {
            foreach (var item in pending)
            {
                if (!_known.Add(item.Id)) continue;
                if (!_queues.TryGetValue(item.OrderKey, out var queue))
                {
                    _queues[item.OrderKey] = queue = new Queue<InboxItem>();
                    queue.Enqueue(item);
                    _ = Task.Run(() => DrainAsync(item.OrderKey), CancellationToken.None);
                    continue;
                }
                queue.Enqueue(item);
            }
        }
    }

    private async Task DrainAsync(string orderKey)
    {
        while (true)
        {
            InboxItem item;
            lock (_gate)
            {
                var queue = _queues[orderKey];
                if (queue.Count == 0) { _queues.Remove(orderKey); return; }
                item = queue.Peek();
            }
            await HandleOneAsync(item);
            lock (_gate)
            {
                _queues[orderKey].Dequeue();
                _known.Remove(item.Id);
            }
        }
    }

    private async Task HandleOneAsync(InboxItem item)
    {
        try { await _slots.WaitAsync(_stopping); }
        catch (OperationCanceledException) { return; }
        try
        {
            if (!_handlers.TryGetValue(item.Source, out var handler))
            {
                LogNoHandler(item.Source, item.Id);
                await store.CompleteAsync(item.Id, $"no handler for source '{item.Source}'", CancellationToken.None);
                return;
            }
            await store.MarkAttemptAsync(item.Id, CancellationToken.None);
            try
            {
                await handler.HandleAsync(item, _stopping);
                await store.CompleteAsync(item.Id, null, CancellationToken.None);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // Shutting down: the item stays pending and is handled after the restart.
            }
            catch (Exception ex)
            {
                LogHandlerFailed(ex, item.Source, item.Id, item.Attempts + 1);
                if (item.Attempts + 1 >= options.Value.MaxAttempts)
                    await store.CompleteAsync(item.Id, ex.Message, CancellationToken.None);
                else
                    _signal.Release();
            }
        }
        finally { _slots.Release(); }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox scheduling failed; will retry on the next signal")]
    private partial void LogScheduleFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No inbox handler for source {Source}; item {Id} dropped")]
    private partial void LogNoHandler(string source, long id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox handler for {Source} failed on item {Id} (attempt {Attempt})")]
    private partial void LogHandlerFailed(Exception ex, string source, long id, int attempt);
}
