using System.Diagnostics;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters.SemanticKernel;

namespace Moltworker.Kernel.Filters.Builtin;

/// <summary>Publishes call started/finished and batch progress (k of n done) on the event bus. Calls answered before
/// dispatch (results replayed from the journal of a resumed task) count as done from the start. A result served from
/// the tool-result cache is flagged <c>Cached</c>.</summary>
public sealed class EventsCallFilter(IEventBus events) : CallFunctionFilter
{
    protected override async Task OnCallAsync(CallContext context, Func<CallContext, Task> next)
    {
        var batch = context.Batch!;
        var turn = batch.Turn;
        batch.Progress.Start(batch);
        var started = Stopwatch.GetTimestamp();
        events.Publish(new CallStarted(turn.TaskId, turn.Address, batch.BatchId, context.Call.CallId, context.Call.Name));
        try { await next(context); }
        finally
        {
            var status = context.Result?.Status ?? ToolStatus.Cancelled;
            events.Publish(new CallFinished(turn.TaskId, turn.Address, batch.BatchId, context.Call.CallId, context.Call.Name, status, Stopwatch.GetElapsedTime(started),
                context.Result?.Cached == true));
            var done = batch.Progress.Finish();
            events.Publish(new Progress(turn.TaskId, turn.Address, batch.BatchId, done, batch.Calls.Count, batch.Parallel));
        }
    }
}
