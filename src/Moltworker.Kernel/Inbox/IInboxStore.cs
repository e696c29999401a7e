namespace Moltworker.Kernel.Inbox;

public interface IInboxStore
{
    /// <summary>Stores the item; false when (source, externalId) was seen before (never processed twice).</summary>
    Task<bool> EnqueueAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken);

    /// <summary>Unfinished items, oldest first.</summary>
    Task<IReadOnlyList<InboxItem>> PendingAsync(int max, CancellationToken cancellationToken);

    Task MarkAttemptAsync(long id, CancellationToken cancellationToken);
    Task CompleteAsync(long id, string? error, CancellationToken cancellationToken);
}
