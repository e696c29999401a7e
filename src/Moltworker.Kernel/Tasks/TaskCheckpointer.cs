using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>Commits the checkpoint of a tracked turn (no-op for untracked ones: commands, tool-composed batches).</summary>
public sealed class TaskCheckpointer(ITaskStore store)
{
    public async Task SaveAsync(TurnContext turn, CancellationToken cancellationToken = default)
    {
        if (!turn.IsTracked) return;
        await store.SaveCheckpointAsync(turn.TaskId, TaskCheckpoint.Of(turn).Encode(), cancellationToken);
    }

    /// <summary>Restores the turn from its last committed checkpoint; false when there is none.</summary>
    public async Task<bool> RestoreAsync(TurnContext turn, CancellationToken cancellationToken = default)
    {
        if (!turn.IsTracked) return false;
        var stored = await store.LoadCheckpointAsync(turn.TaskId, cancellationToken);
        if (stored is null) return false;
        TaskCheckpoint.Decode(turn.TaskId, stored).ApplyTo(turn);
        return true;
    }
}
