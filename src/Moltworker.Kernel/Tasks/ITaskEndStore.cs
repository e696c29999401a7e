namespace Moltworker.Kernel.Tasks;

/// <summary>
/// How a task ended, written at once where the store can (PostgreSQL: one round trip, one transaction): the task's root
/// thread row, as <see cref="ITaskThreadStore.RecordAsync"/> writes it, and the task's status, as
/// <see cref="ITaskStore.SetStatusAsync"/> sets it. <see cref="DurableTaskTracker"/> uses it when it is registered and
/// otherwise makes the two writes one after the other (the thread row first).
/// </summary>
public interface ITaskEndStore
{
    Task EndAsync(TaskThread root, DurableTaskStatus status, string? error, string? finalText, CancellationToken cancellationToken);
}
