using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Inbox;

/// <summary>
/// The durable inbox: accepts items (stored before they are acknowledged), then hands them to the
/// <see cref="IInboxHandler"/> of their source, one at a time per order key and concurrently across keys
/// up to <c>Moltworker:Inbox:MaxConcurrentChats</c>. A failing item is retried in place (with backoff), so later
/// items of its chat never overtake it; after <c>Moltworker:Inbox:MaxAttempts</c> it is set aside (completed with its
/// error) so that it never blocks its chat. A failing database is not the item's fault: the item keeps its place and
/// its attempts until the store works again. Items accepted before a restart are handled after it.
/// Stopping is graceful: no further item starts, the ones being handled get until the host's shutdown timeout to finish,
/// and those still running then are cancelled (their tasks are checkpointed and their items stay pending for the restart).
/// On a shared database (<see cref="IHostLeases.Shared"/>) a chat is drained only under its lease, so one host at a
/// time answers it whichever host received its messages: before each item the holder checks (and extends) its lease
/// and reads the chat's pending items from the store (in the order they were stored), gives the lease up when none is left (at once
/// after the last item it knew of, without taking the lease again to find that out), and looks once more, so an
/// item stored by another host meanwhile is never stranded. A chat whose lease another host holds is left to it; the
/// heartbeat's <see cref="SweepAsync"/> schedules whatever is pending, which takes over the chats of a dead host once
/// their leases expire. A handler passes the item's <see cref="InboxLease"/> right before its answer leaves the host, so a
/// host that stalled past its lease while another took the chat does not answer the item too; the item stays pending for
/// the holder.
/// </summary>
public sealed partial class InboxDispatcher(
    IInboxStore store,
    IEnumerable<IInboxHandler> handlers,
    IOptions<InboxOptions> options,
    ILogger<InboxDispatcher> logger,
    TimeProvider? time = null,
    IHostLeases? leases = null,
    TaskOwner? owner = null,
    IOptions<ClusterOptions>? cluster = null,
    IInboxChatClaim? claim = null) : BackgroundService, IExpiredWorkSweep
{
    private readonly IHostLeases _leases = leases ?? new SingleHostLeases();
    private readonly string _owner = (owner ?? new TaskOwner()).Id;
    private readonly TimeSpan _leaseDuration = (cluster?.Value ?? new ClusterOptions()).LeaseDuration;
    private readonly Dictionary<string, IInboxHandler> _handlers = handlers.ToDictionary(h => h.Source, StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentChats));
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<InboxItem>> _queues = [];
    private readonly HashSet<long> _known = [];
    private List<InboxItem>? _early = []; // accepted before the start-up scan finished; null afterwards
    // The items the start-up scan read: an accept whose store write the scan saw, but which reaches its check only after
    // the scan (and perhaps the item's whole handling) is done, must not schedule it a second time.
    private HashSet<long>? _scanned;
    private readonly CancellationTokenSource _abort = new();
    private readonly List<Task> _drains = [];
    private CancellationToken _stopping;

    /// <summary>Stores the item durably and schedules it. False when it was a duplicate.</summary>
    public async Task<bool> AcceptAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken)
    {
        var item = await store.EnqueueAsync(source, externalId, orderKey, payload, cancellationToken);
        if (item is null) return false;
        lock (_gate)
        {
            // Until the start-up scan is done, the scan schedules it (with everything older), so nothing runs twice.
            if (_early is not null) { _early.Add(item); return true; }
            if (_scanned!.Contains(item.Id)) return true;
        }
        Schedule([item]);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        IReadOnlyList<InboxItem> pending;
        try
        {
            // Everything accepted before a restart (or before this service started) is handled now, oldest first.
            pending = await store.PendingAsync(int.MaxValue, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
        List<InboxItem> early;
        lock (_gate) { early = _early!; _early = null; _scanned = [.. pending.Select(i => i.Id)]; }
        // An item may be in both lists; Schedule keeps one (by id).
        Schedule([.. pending, .. early.OrderBy(i => i.Id)]);
    }

    private void Schedule(IReadOnlyList<InboxItem> items)
    {
        lock (_gate)
        {
            foreach (var item in items)
            {
                if (!_known.Add(item.Id)) continue;
                if (_queues.TryGetValue(item.OrderKey, out var queue)) { queue.Enqueue(item); continue; }
                _queues[item.OrderKey] = queue = new Queue<InboxItem>();
                queue.Enqueue(item);
                var key = item.OrderKey;
                var drain = Task.Run(() => DrainAsync(key), CancellationToken.None);
                _drains.Add(drain);
                _ = drain.ContinueWith(d => { lock (_gate) _drains.Remove(d); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>The heartbeat's look for pending items on a shared database: items pending for longer than a lease
    /// (their host died, or never got to them) are scheduled here, and a chat another live host holds is tried and left
    /// to it. Younger items are left to the host that accepted them, which is about to take their chat: an HTTP item
    /// can only be answered where its request waits.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        lock (_gate) if (_early is not null) return; // the start-up scan has not run yet
        var before = _time.GetUtcNow() - _leaseDuration;
        Schedule([.. (await store.PendingAsync(int.MaxValue, cancellationToken)).Where(i => i.ReceivedAt <= before)]);
    }

    private async Task DrainAsync(string orderKey)
    {
        if (_leases.Shared) { await DrainSharedAsync(orderKey); return; }
        while (!_stopping.IsCancellationRequested)
        {
            InboxItem item;
            lock (_gate)
            {
                var queue = _queues[orderKey];
                if (queue.Count == 0) { _queues.Remove(orderKey); return; }
                item = queue.Peek();
            }
            var attempt = item.Attempts + 1;
            var storageFailures = 0;
            while (true)
            {
                var outcome = await HandleOneAsync(item with { Attempts = attempt - 1, FirstDelivery = attempt == 1 }, attempt);
                if (outcome == Outcome.Finished) break;
                // A failing handler uses up an attempt; a failing database does not (it is not the item's fault), and the
                // item keeps its place: later items of its chat wait rather than overtake it.
                var delay = outcome == Outcome.HandlerFailed ? Backoff(attempt++) : Backoff(++storageFailures);
                try { await Task.Delay(delay, _time, _stopping); }
                catch (OperationCanceledException) { return; }
            }
            Dequeue(orderKey, item);
        }
    }

    /// <summary>Takes the handled item off its chat's queue; true when the queue is empty then.</summary>
    private bool Dequeue(string orderKey, InboxItem item)
    {
        lock (_gate)
        {
            var queue = _queues[orderKey];
            if (queue.TryPeek(out var head) && head.Id == item.Id) queue.Dequeue();
            _known.Remove(item.Id);
            return queue.Count == 0;
        }
    }

    /// <summary>Stops starting items at once; waits for the running ones until <paramref name="cancellationToken"/> (the host's
    /// shutdown timeout), then cancels them.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Task running;
        lock (_gate) running = Task.WhenAll(_drains);
        try { await running.WaitAsync(cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _abort.CancelAsync();
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1)));

    private enum Outcome { Finished, HandlerFailed, StoreFailed, LeaseLost }

    /// <summary>Finished: handled, or set aside after its last attempt (a poison item never blocks its chat).
    /// <paramref name="counted"/>: the attempt is already counted in the store (<see cref="IInboxChatClaim"/>).</summary>
    private async Task<Outcome> HandleOneAsync(InboxItem item, int attempt, bool counted = false)
    {
        try { await _slots.WaitAsync(_stopping); }
        catch (OperationCanceledException) { return Outcome.Finished; }
        try
        {
            if (!_handlers.TryGetValue(item.Source, out var handler))
            {
                LogNoHandler(item.Source, item.Id);
                return await CompleteAsync(item, $"no handler for source '{item.Source}'");
            }
            if (!counted)
            {
                try { await store.MarkAttemptAsync(item.Id, CancellationToken.None); }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogStoreFailed(ex, item.Source, item.Id);
                    return Outcome.StoreFailed;
                }
            }
            try
            {
                await handler.HandleAsync(item, _abort.Token);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return Outcome.Finished; // Shut down before it finished: the item stays pending and is handled after the restart.
            }
            catch (Exception ex) when (ex is ChatLeaseLostException or LeaseLostException)
            {
                // Not the item's fault and not this host's to finish: it stays pending, with its attempts, for the holder.
                LogLeaseLost(item.Source, item.Id, ex.Message);
                return Outcome.LeaseLost;
            }
            catch (Exception ex)
            {
                LogHandlerFailed(ex, item.Source, item.Id, attempt);
                if (attempt < options.Value.MaxAttempts) return Outcome.HandlerFailed;
                LogSetAside(item.Source, item.Id, attempt, ex.Message);
                return await CompleteAsync(item, ex.Message);
            }
            return await CompleteAsync(item, null);
        }
        finally { _slots.Release(); }
    }

    /// <summary>Records the item as done; while the database refuses, keeps trying (never running the handler again).</summary>
    private async Task<Outcome> CompleteAsync(InboxItem item, string? error)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                await store.CompleteAsync(item.Id, error, CancellationToken.None);
                return Outcome.Finished;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStoreFailed(ex, item.Source, item.Id);
                try { await Task.Delay(Backoff(failures), _time, _stopping); }
                catch (OperationCanceledException) { return Outcome.Finished; } // still pending in the store: done after the restart
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbox item {Id} of {Source} is left to another host: {Reason}")]
    private partial void LogLeaseLost(string source, long id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No inbox handler for source {Source}; item {Id} dropped")]
    private partial void LogNoHandler(string source, long id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox item {Id} of {Source} set aside after {Attempts} attempts; its chat goes on: {Reason}")]
    private partial void LogSetAside(string source, long id, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The inbox store failed on item {Id} of {Source}; it keeps its place and is tried again")]
    private partial void LogStoreFailed(Exception ex, string source, long id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inbox handler for {Source} failed on item {Id} (attempt {Attempt})")]
    private partial void LogHandlerFailed(Exception ex, string source, long id, int attempt);
}
