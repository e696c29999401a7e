using System.Diagnostics;
using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Filters.Builtin;

/// <summary>Publishes call started/finished and batch progress on the event bus.</summary>
public sealed class EventsCallFilter(IEventBus events) : ICallFilter
{
    public async Task OnCallAsync(CallContext context, Func<CallContext, Task> next)
    {
        var batch = context.Batch!;
        var turn = batch.Turn;
        var started = Stopwatch.GetTimestamp();
        events.Publish(new CallStarted(turn.TaskId, turn.Address, batch.BatchId, context.Call.CallId, context.Call.Name));
        try { await next(context); }
        finally
        {
            var status = context.Result?.Status ?? ToolStatus.Cancelled;
            events.Publish(new CallFinished(turn.TaskId, turn.Address, batch.BatchId, context.Call.CallId, context.Call.Name, status, Stopwatch.GetElapsedTime(started)));
            int done;
            lock (batch.Items) done = (int)(batch.Items["events.done"] = (batch.Items.GetValueOrDefault("events.done") as int? ?? 0) + 1)!;
            events.Publish(new Progress(turn.TaskId, turn.Address, batch.BatchId, done, batch.Calls.Count, batch.Parallel));
        }
    }
}
