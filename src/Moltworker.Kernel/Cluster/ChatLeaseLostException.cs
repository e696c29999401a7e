namespace Moltworker.Kernel.Cluster;

/// <summary>This host's lease on a chat inbox expired while it was answering an item, and another host may have taken
/// the chat: the item is left to that host, and this one does not deliver the answer it made (the fence before an
/// answer leaves the chat, <see cref="Inbox.InboxLease"/>).</summary>
public sealed class ChatLeaseLostException(string orderKey)
    : Exception($"This host no longer holds the lease on chat {orderKey}; another host answers it.")
{
    public string OrderKey { get; } = orderKey;
}
