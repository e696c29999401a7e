namespace Moltworker.Kernel.Inbox;

/// <summary>
/// On a shared database, a chat's next step in one statement instead of three: take (or extend) the chat's lease, read
/// its pending items, and count an attempt on the first of them. The dispatcher uses it when the store registers it
/// (PostgreSQL); otherwise it takes the lease (<see cref="Cluster.IHostLeases.TryAcquireChatAsync"/>), reads the
/// items (<see cref="IInboxStore.PendingAsync(string, CancellationToken)"/>) and counts the attempt
/// (<see cref="IInboxStore.MarkAttemptAsync"/>) one after the other.
/// </summary>
public interface IInboxChatClaim
{
    /// <summary>Null while another owner's lease on the chat <paramref name="orderKey"/> has not expired (nothing is
    /// read or counted). Otherwise the chat's pending items, oldest first, with an attempt counted on the first: its
    /// <see cref="InboxItem.Attempts"/> is the count before this attempt, so 0 only for the one delivery that first
    /// counted it (the increment is atomic: two hosts never both see 0).</summary>
    Task<IReadOnlyList<InboxItem>?> ClaimNextAsync(string orderKey, string owner, TimeSpan duration, CancellationToken cancellationToken);
}
