using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Journal;

/// <summary>How a task ended in one round trip: the root thread's row (<see cref="PostgresTaskThreadStore.RecordAsync"/>'s
/// statement) and the task's status (<see cref="PostgresTaskStore.SetStatusAsync"/>'s), in one batch, which Npgsql runs in
/// one implicit transaction: both are written or neither.</summary>
public sealed class PostgresTaskEndStore(PostgresDatabase db, TimeProvider time) : ITaskEndStore
{
    public Task EndAsync(TaskThread root, DurableTaskStatus status, string? error, string? finalText, CancellationToken cancellationToken) =>
        db.RunAsync(c => c.ExecuteAsync(cancellationToken,
            PostgresTaskThreadStore.Record(root),
            PostgresTaskStore.SetStatus(root.TaskId, status, error, finalText, time.GetUtcNow())), cancellationToken);
}
