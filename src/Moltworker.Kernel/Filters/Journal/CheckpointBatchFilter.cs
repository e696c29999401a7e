using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Filters.Journal;

/// <summary>
/// Checkpoints a tracked task before each batch the model asked for: the model's calls are kept, so a crash never asks
/// the model again and never gets different calls. No checkpoint after the batch: its results are in the journal, and a
/// resumed turn answers the calls left unanswered in the checkpoint from there (<c>ToolMessages.Unanswered</c> and
/// <see cref="JournalReplayFilter"/>). The next batch's checkpoint carries the loop's updated counters. A delegated
/// thread's checkpoint goes to its own row (<see cref="TaskCheckpointer"/>).
/// </summary>
public sealed class CheckpointBatchFilter(TaskCheckpointer checkpoints) : IBatchFilter
{
    public async Task OnBatchAsync(BatchContext context, Func<BatchContext, Task> next)
    {
        var turn = context.Turn;
        if (context.Caller != "model" || !checkpoints.Keeps(turn)) { await next(context); return; }
        await checkpoints.SaveAsync(turn, CancellationToken.None);
        await next(context);
    }
}
