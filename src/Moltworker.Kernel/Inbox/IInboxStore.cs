namespace Moltworker.Kernel.Inbox;

public interface IInboxStore
{
    /// <summary>Stores the item; null when (source, externalId) was seen before (never processed twice).</summary>
    Task<InboxItem?> EnqueueAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken);

    /// <summary>Unfinished items, oldest first.</summary>
    Task<IReadOnlyList<InboxItem>> PendingAsync(int max, CancellationToken cancellationToken);

    Task MarkAttemptAsync(long id, CancellationToken cancellationToken);
    Task CompleteAsync(long id, string? error, CancellationToken cancellationToken);
}
