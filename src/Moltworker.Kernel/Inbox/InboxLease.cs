using Moltworker.Kernel.Cluster;

namespace Moltworker.Kernel.Inbox;

/// <summary>
/// The fence a handler passes right before its item's side effect leaves the host (the answer sent to the chat). On a
/// shared database a chat is answered under its lease, which the heartbeat renews; a host stalled for longer than the
/// lease (a long pause, a starved thread pool) may find that another host took the chat and is answering the same item.
/// <see cref="EnsureHeldAsync"/> extends the lease when this host still holds it, which gives the delivery and the item's
/// completion a whole lease to finish in, and throws <see cref="ChatLeaseLostException"/> when it does not: the answer is
/// not sent, and the item is left to the host that holds the chat. On one host (SQLite) it does nothing.
/// </summary>
public sealed class InboxLease
{
    private readonly IHostLeases? _leases;
    private readonly string _orderKey = "";
    private readonly string _owner = "";
    private readonly TimeSpan _duration;

    /// <summary>The lease of an inbox no other host shares: always held.</summary>
    public static InboxLease Unshared { get; } = new();

    private InboxLease() { }

    /// <summary>The lease of chat <paramref name="orderKey"/>, held by <paramref name="owner"/> on a shared database.</summary>
    public InboxLease(IHostLeases leases, string orderKey, string owner, TimeSpan duration)
    {
        _leases = leases;
        _orderKey = orderKey;
        _owner = owner;
        _duration = duration;
    }

    /// <summary>Returns when this host still holds the chat (extending its lease); throws
    /// <see cref="ChatLeaseLostException"/> when another host may be answering it.</summary>
    public async Task EnsureHeldAsync(CancellationToken cancellationToken)
    {
        if (_leases is null || !_leases.Shared) return;
        if (!await _leases.TryAcquireChatAsync(_orderKey, _owner, _duration, cancellationToken))
            throw new ChatLeaseLostException(_orderKey);
    }
}
