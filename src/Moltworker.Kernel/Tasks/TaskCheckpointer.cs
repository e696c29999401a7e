using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>Commits the checkpoint of a tracked turn (no-op for untracked ones: commands, tool-composed batches). A
/// delegated (child) thread keeps its checkpoint on its own row in the thread store, whenever there is one (its first
/// checkpoint writes the row): its parent's resumed call resumes it from there (docs/decisions/0058-durable-child-threads.md).</summary>
public sealed class TaskCheckpointer(ITaskStore store, ITaskThreadStore? threads = null)
{
    /// <summary>Whether <paramref name="turn"/> keeps checkpoints: a tracked task's turn, or a child thread of a host with a thread store.</summary>
    public bool Keeps(TurnContext turn) => turn.IsTracked || (turn.Thread is not null && threads is not null);

    public async Task SaveAsync(TurnContext turn, CancellationToken cancellationToken = default)
    {
        if (turn.Thread is not null && threads is not null)
        {
            await threads.SaveCheckpointAsync(ChildThreadRow.Of(turn, TaskThreadStatus.Running), TaskCheckpoint.Of(turn).Encode(), cancellationToken);
            return;
        }
        if (!turn.IsTracked) return;
        await store.SaveCheckpointAsync(turn.TaskId, TaskCheckpoint.Of(turn).Encode(), cancellationToken);
    }

    /// <summary>Restores the turn from its last committed checkpoint; false when there is none.</summary>
    public async Task<bool> RestoreAsync(TurnContext turn, CancellationToken cancellationToken = default)
    {
        if (!Keeps(turn)) return false;
        var stored = turn.Thread is { } thread && threads is not null
            ? await threads.LoadCheckpointAsync(thread.Id, cancellationToken)
            : await store.LoadCheckpointAsync(turn.TaskId, cancellationToken);
        if (stored is null) return false;
        TaskCheckpoint.Decode(turn.TaskId, stored).ApplyTo(turn);
        return true;
    }
}
