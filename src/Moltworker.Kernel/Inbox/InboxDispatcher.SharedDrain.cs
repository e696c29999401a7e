using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Inbox;

/// <summary>The dispatcher's drain of a chat on a shared database (<see cref="IHostLeases.Shared"/>): under the chat's
/// lease, the store's pending items of the chat, oldest first; the lease given up when the chat is drained.</summary>
public sealed partial class InboxDispatcher
{
    /// <summary>A chat on a shared database: under its lease, the store's pending items of the chat, oldest first.</summary>
    private async Task DrainSharedAsync(string orderKey)
    {
        var held = false;
        var failures = 0;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                InboxItem? item;
                try
                {
                    // Taken (or, when held, checked and extended) before every item: a host whose lease ran out
                    // while it was busy stops here instead of answering an item the new holder answers too.
                    var pending = await ClaimNextAsync(orderKey);
                    if (!(held = pending is not null))
                    {
                        Forget(orderKey); // another host answers this chat; its holder (or a later sweep) takes these items
                        return;
                    }
                    item = Refill(orderKey, pending!);
                    if (item is null)
                    {
                        await _leases.ReleaseChatAsync(orderKey, _owner, _stopping);
                        held = false;
                        if (await DrainedAsync(orderKey)) return;
                        continue;
                    }
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { return; }
                catch (Exception ex)
                {
                    LogLeaseFailed(ex, orderKey);
                    try { await Task.Delay(Backoff(++failures), _time, _stopping); }
                    catch (OperationCanceledException) { return; }
                    continue;
                }
                failures = 0;
                // With the store's claim the attempt was counted atomically with the read: 0 before means no host
                // started this item; without it, the read and the count are apart and nothing is certain.
                var lease = new InboxLease(_leases, orderKey, _owner, _leaseDuration);
                var outcome = await HandleOneAsync(item with { Lease = lease, FirstDelivery = claim is not null && item.Attempts == 0 },
                    item.Attempts + 1, counted: claim is not null);
                if (outcome == Outcome.Finished)
                {
                    // Nothing more was accepted here for the chat: give the lease up at once rather than take it again
                    // to find the chat drained (the look after the release finds what other hosts stored).
                    if (!Dequeue(orderKey, item)) continue;
                    try
                    {
                        await _leases.ReleaseChatAsync(orderKey, _owner, _stopping);
                        held = false;
                        if (await DrainedAsync(orderKey)) return;
                    }
                    catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { return; }
                    catch (Exception ex) { LogLeaseFailed(ex, orderKey); } // tried again from the top
                    continue;
                }
                if (outcome == Outcome.LeaseLost)
                {
                    Forget(orderKey); // the host that holds the chat now answers the item (its task carries on there)
                    return;
                }
                // Tried again from the top: the lease is checked and the item read again (with its attempts) first.
                try { await Task.Delay(Backoff(item.Attempts + 1), _time, _stopping); }
                catch (OperationCanceledException) { return; }
            }
        }
        finally
        {
            if (held)
            {
                try { await _leases.ReleaseChatAsync(orderKey, _owner, CancellationToken.None); }
                catch (Exception ex) { LogLeaseFailed(ex, orderKey); } // it expires by itself
            }
        }
    }

    /// <summary>The chat's pending items under its lease (null when another host holds it): in one statement with the
    /// store's <see cref="IInboxChatClaim"/> (which also counts the first item's attempt), otherwise the lease and then the items.</summary>
    private async Task<IReadOnlyList<InboxItem>?> ClaimNextAsync(string orderKey)
    {
        if (claim is not null) return await claim.ClaimNextAsync(orderKey, _owner, _leaseDuration, _stopping);
        if (!await _leases.TryAcquireChatAsync(orderKey, _owner, _leaseDuration, _stopping)) return null;
        return await store.PendingAsync(orderKey, _stopping);
    }

    /// <summary>After the lease of a drained chat was given up: looks once more, for an item another host stored while its
    /// own try for the lease failed because this host held it. True when there is none (the chat's drain ends).</summary>
    private async Task<bool> DrainedAsync(string orderKey)
    {
        var late = await store.PendingAsync(orderKey, _stopping);
        lock (_gate)
        {
            if (late.Count > 0 || _queues[orderKey].Count > 0) return false;
            _queues.Remove(orderKey);
            return true;
        }
    }

    /// <summary>Makes the chat's queue the store's pending items (the truth under the lease); returns the first.</summary>
    private InboxItem? Refill(string orderKey, IReadOnlyList<InboxItem> pending)
    {
        lock (_gate)
        {
            var queue = _queues[orderKey];
            foreach (var old in queue) _known.Remove(old.Id);
            queue.Clear();
            foreach (var item in pending.OrderBy(i => i.Id))
            {
                queue.Enqueue(item);
                _known.Add(item.Id);
            }
            return queue.Count > 0 ? queue.Peek() : null;
        }
    }

    private void Forget(string orderKey)
    {
        lock (_gate)
        {
            if (!_queues.Remove(orderKey, out var queue)) return;
            foreach (var item in queue) _known.Remove(item.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The lease or the pending items of chat {OrderKey} could not be read; tried again")]
    private partial void LogLeaseFailed(Exception ex, string orderKey);
}
