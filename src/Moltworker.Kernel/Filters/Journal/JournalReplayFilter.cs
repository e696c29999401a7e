using Moltworker.Kernel.Events;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Filters.Journal;

/// <summary>
/// Before a batch runs, looks its calls up in the journal (a resumed task meets calls it made before): a completed
/// result is reused as it is; a call with an intent but no result is in doubt. An in-doubt call runs again when it is
/// <see cref="Abstractions.ToolMetadata.SafeToRepeat"/> (read-only, or reconciles by idempotency key); otherwise nothing runs, the task pauses, and the user is asked.
/// A failed result (error, timeout, cancelled) of a call that is safe to repeat is not reused: the call runs again, so
/// a retried composing tool gets a fresh try of its failed reads instead of the same journaled failure.
/// </summary>
public sealed class JournalReplayFilter(IToolJournal journal, ITaskStore tasks, IEventBus events) : IBatchFilter
{
    public async Task OnBatchAsync(BatchContext context, Func<BatchContext, Task> next)
    {
        // Only a resumed turn (or a tool's sub-batch, whose parent may be a retry) can meet calls it made before.
        if (!context.Turn.IsResumed && !context.Composed) { await next(context); return; }
        var pending = context.Calls.Where(c => c.Result is null).ToList();
        if (pending.Count == 0) { await next(context); return; }
        var entries = await journal.FindAsync(context.Turn.TaskId, pending.Select(c => c.Tool.IdempotencyKey).ToList(), context.CancellationToken);
        if (entries.Count == 0) { await next(context); return; }

        var doubts = new List<CallContext>();
        foreach (var call in pending)
        {
            if (!entries.TryGetValue(call.Tool.IdempotencyKey, out var entry)) continue;
            if (entry.HasResult)
            {
                if (Failed(entry.Status!.Value) && call.Metadata.SafeToRepeat) continue;
                call.Result = new ToolResult(entry.Content ?? "", entry.Status!.Value);
            }
            else if (!call.Metadata.SafeToRepeat) doubts.Add(call);
        }
        if (doubts.Count > 0)
        {
            var turn = context.Turn;
            var question = Question(turn.TaskId, doubts);
            if (turn.IsTracked) await tasks.SetStatusAsync(turn.TaskId, DurableTaskStatus.Paused, question, null, CancellationToken.None);
            events.Publish(new TaskPaused(turn.TaskId, turn.Address, question));
            throw new TaskPausedException(question);
        }
        await next(context);
    }

    private static bool Failed(ToolStatus status) => status is ToolStatus.Error or ToolStatus.Timeout or ToolStatus.Cancelled;

    private static string Question(string taskId, List<CallContext> doubts)
    {
        var calls = string.Join(", ", doubts.Select(c => $"'{c.Call.Name}' (call {c.Call.CallId})"));
        return $"Task {taskId} was interrupted while {calls} ran, and I cannot tell whether it took effect: the tool does not " +
               "reconcile by idempotency key, so I will not run it again on my own. Check the result yourself, then run " +
               $"`moltworker tasks resolve {taskId} --skip` (treat it as not done; the model is told) or `--run-again`.";
    }
}
