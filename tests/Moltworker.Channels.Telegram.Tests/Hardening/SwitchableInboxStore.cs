using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Telegram.Tests.Hardening;

/// <summary>The real inbox store, which refuses to store while <see cref="Full"/> is set, as on a full disk.</summary>
public sealed class SwitchableInboxStore(IInboxStore inner) : IInboxStore
{
    public volatile bool Full;
    private readonly TaskCompletionSource _refusedTwice = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _refused;

    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Completes at the second refusal: the caller tried, was refused, and tried again.</summary>
    public Task RefusedTwice => _refusedTwice.Task;

    public Task<InboxItem?> EnqueueAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken)
    {
        if (!Full) return inner.EnqueueAsync(source, externalId, orderKey, payload, cancellationToken);
        if (Interlocked.Increment(ref _refused) >= 2) _refusedTwice.TrySetResult();
        throw new StorageException("The disk holding moltworker.db is full: nothing was written by this operation.");
    }

    public Task<IReadOnlyList<InboxItem>> PendingAsync(int max, CancellationToken cancellationToken) => inner.PendingAsync(max, cancellationToken);
    public Task MarkAttemptAsync(long id, CancellationToken cancellationToken) => inner.MarkAttemptAsync(id, cancellationToken);
    public Task CompleteAsync(long id, string? error, CancellationToken cancellationToken) => inner.CompleteAsync(id, error, cancellationToken);
}
