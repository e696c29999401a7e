namespace Moltworker.Kernel.Inbox;

public interface IInboxStore
{
    /// <summary>Stores the item; null when (source, externalId) was seen before (never processed twice).</summary>
    Task<InboxItem?> EnqueueAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken);

    /// <summary>Unfinished items, oldest first.</summary>
    Task<IReadOnlyList<InboxItem>> PendingAsync(int max, CancellationToken cancellationToken);

    /// <summary>Unfinished items of one chat (order key), oldest first. The default filters <see cref="PendingAsync(int, CancellationToken)"/>;
    /// a store shared by several hosts overrides it with a query.</summary>
    async Task<IReadOnlyList<InboxItem>> PendingAsync(string orderKey, CancellationToken cancellationToken) =>
        (await PendingAsync(int.MaxValue, cancellationToken)).Where(i => i.OrderKey == orderKey).ToList();

    Task MarkAttemptAsync(long id, CancellationToken cancellationToken);
    Task CompleteAsync(long id, string? error, CancellationToken cancellationToken);
}
