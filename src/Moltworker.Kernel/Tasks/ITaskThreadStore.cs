namespace Moltworker.Kernel.Tasks;

/// <summary>
/// The threads of durable tasks: a row per delegated (child) thread with its parent pointer, its own checkpoint, its
/// answer or error and its usage, and a row for each task's root thread with the task's usage. Beside
/// <see cref="ITaskStore"/> rather than in it: a child thread is never claimed or resumed on its own (its parent's
/// resumed call resumes it), so task ownership knows nothing of threads. Each write is committed when it returns.
/// </summary>
public interface ITaskThreadStore
{
    Task<TaskThread?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The threads of a task, in the order their rows were first written.</summary>
    Task<IReadOnlyList<TaskThread>> ListAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Inserts the running thread with its first checkpoint, or replaces the stored thread's checkpoint and token
    /// counts so far (its start, parent, call and agent stay): a thread's row is written first when it has something to
    /// resume, not when it starts (docs/decisions/0058-durable-child-threads.md).</summary>
    Task SaveCheckpointAsync(TaskThread thread, StoredCheckpoint checkpoint, CancellationToken cancellationToken);

    Task<StoredCheckpoint?> LoadCheckpointAsync(string id, CancellationToken cancellationToken);

    /// <summary>Inserts the thread, or updates its status, model, answer, error, token counts and end (its start and
    /// checkpoint stay): how a thread ends, and how a task's root thread is recorded.</summary>
    Task RecordAsync(TaskThread thread, CancellationToken cancellationToken);

    /// <summary>Deletes the threads of tasks that no longer exist (pruned by retention) started before
    /// <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
