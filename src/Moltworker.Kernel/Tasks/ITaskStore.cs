namespace Moltworker.Kernel.Tasks;

/// <summary>Durable task rows and their latest checkpoint. Narrow on purpose: a PostgreSQL version shares state
/// between hosts (ownership makes a task run in one place at a time).</summary>
public interface ITaskStore
{
    Task CreateAsync(DurableTask task, string owner, StoredCheckpoint checkpoint, CancellationToken cancellationToken);

    Task<DurableTask?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first; <paramref name="status"/> null means any.</summary>
    Task<IReadOnlyList<DurableTask>> ListAsync(DurableTaskStatus? status, int limit, CancellationToken cancellationToken);

    /// <summary>A page of tasks, newest first (<c>GET /api/tasks</c>). The default reads every task of the status and
    /// filters in memory; a store overrides it with a query.</summary>
    async Task<IReadOnlyList<DurableTask>> ListAsync(TaskListQuery query, CancellationToken cancellationToken) =>
        (await ListAsync(query.Status, int.MaxValue, cancellationToken)).Where(query.Matches).Skip(query.Offset).Take(query.Limit).ToList();

    /// <summary>Replaces the checkpoint (committed when this returns) and counts as progress.</summary>
    Task SaveCheckpointAsync(string id, StoredCheckpoint checkpoint, CancellationToken cancellationToken);

    Task<StoredCheckpoint?> LoadCheckpointAsync(string id, CancellationToken cancellationToken);

    Task SetStatusAsync(string id, DurableTaskStatus status, string? error, string? finalText, CancellationToken cancellationToken);

    /// <summary>autoResumeCount + 1 and lastError, atomically; returns the new count.</summary>
    Task<int> RecordAutoResumeAsync(string id, string error, CancellationToken cancellationToken);

    /// <summary>Takes over running tasks of other (dead) owners. Each claimed task's <see cref="DurableTask.Deaths"/> counts
    /// the deaths in a row without progress since its last claim, including this one.</summary>
    Task<IReadOnlyList<DurableTask>> ClaimOrphansAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Takes over one running task of another owner; null when it is not running or already this owner's.</summary>
    Task<DurableTask?> ClaimAsync(string id, string owner, CancellationToken cancellationToken);

    Task<TaskStats> StatsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes completed and failed tasks last updated before <paramref name="before"/>, with their journal
    /// entries; running and paused tasks stay. Returns how many tasks.</summary>
    Task<int> PruneFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Makes a paused task, or one awaiting approval, runnable again (claimed at the next start or resume pass).</summary>
    Task ReleaseAsync(string id, CancellationToken cancellationToken);
}
