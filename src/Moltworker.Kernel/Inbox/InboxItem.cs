namespace Moltworker.Kernel.Inbox;

/// <summary>
/// One accepted incoming update, durable before it is acknowledged to the platform.
/// <see cref="OrderKey"/> groups items that must be handled one at a time in order (a chat);
/// <see cref="ExternalId"/> deduplicates (a Telegram update id, a Discord interaction id).
/// </summary>
public sealed record InboxItem(long Id, string Source, string ExternalId, string OrderKey, string Payload, DateTimeOffset ReceivedAt, int Attempts)
{
    /// <summary>The chat's lease while a handler has the item: passed (<see cref="InboxLease.EnsureHeldAsync"/>) right
    /// before the answer leaves the host. Set by the dispatcher; always held on one host.</summary>
    public InboxLease Lease { get; init; } = InboxLease.Unshared;

    /// <summary>Set by the dispatcher when this is certainly the item's first attempt (no earlier attempt was counted,
    /// on this host or another), so no task can have been started for it yet: a handler may skip the look for one
    /// (<see cref="Chat.IncomingMessage.FirstDelivery"/>). False when in doubt.</summary>
    public bool FirstDelivery { get; init; }
}
