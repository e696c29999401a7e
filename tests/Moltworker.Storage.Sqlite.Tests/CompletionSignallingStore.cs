using Moltworker.Kernel.Inbox;

namespace Moltworker.Storage.Sqlite.Tests;

/// <summary>An inbox store that signals once <paramref name="expected"/> items were completed: tests await that instead of
/// polling the database.</summary>
public sealed class CompletionSignallingStore(IInboxStore inner, int expected) : IInboxStore
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _completed;

    public Task AllCompleted => _all.Task;

    public Task<InboxItem?> EnqueueAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken) =>
        inner.EnqueueAsync(source, externalId, orderKey, payload, cancellationToken);

    public Task<IReadOnlyList<InboxItem>> PendingAsync(int max, CancellationToken cancellationToken) => inner.PendingAsync(max, cancellationToken);

    public Task MarkAttemptAsync(long id, CancellationToken cancellationToken) => inner.MarkAttemptAsync(id, cancellationToken);

    public async Task CompleteAsync(long id, string? error, CancellationToken cancellationToken)
    {
        await inner.CompleteAsync(id, error, cancellationToken);
        if (Interlocked.Increment(ref _completed) >= expected) _all.TrySetResult();
    }
}
