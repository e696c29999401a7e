using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Filters.Journal;

/// <summary>
/// Checkpoints a tracked task around each batch the model asked for: before dispatch (the model's calls are kept, so a
/// crash never asks the model again and never gets different calls) and after it (the results are part of the state).
/// </summary>
public sealed class CheckpointBatchFilter(TaskCheckpointer checkpoints) : IBatchFilter
{
    public async Task OnBatchAsync(BatchContext context, Func<BatchContext, Task> next)
    {
        var turn = context.Turn;
        if (context.Caller != "model" || !TaskItems.IsTracked(turn)) { await next(context); return; }
        await checkpoints.SaveAsync(turn, CancellationToken.None);
        await next(context);
        // The loop appends the tool message after the batch; checkpoint the state as it will be.
        foreach (var call in context.Calls) call.Result ??= ToolResult.Skipped("the batch ended before this call ran");
        turn.History.Add(ToolMessages.For(context.Calls));
        try { await checkpoints.SaveAsync(turn, CancellationToken.None); }
        finally { turn.History.RemoveAt(turn.History.Count - 1); }
    }
}
