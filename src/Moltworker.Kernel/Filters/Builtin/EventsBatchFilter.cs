using System.Diagnostics;
using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Filters.Builtin;

/// <summary>Publishes batch started/completed on the event bus, and the agent's state <c>calling_tool</c> as a batch starts.</summary>
public sealed class EventsBatchFilter(IEventBus events) : IBatchFilter
{
    public async Task OnBatchAsync(BatchContext context, Func<BatchContext, Task> next)
    {
        var turn = context.Turn;
        var started = Stopwatch.GetTimestamp();
        events.Publish(new PoStateChanged(turn.TaskId, turn.Address, PoStatus.CallingTool));
        events.Publish(new BatchStarted(turn.TaskId, turn.Address, context.BatchId, context.Caller,
            context.Calls.Select(c => c.Call.CallId).ToList(), context.Calls.Select(c => c.Call.Name).ToList(), context.Parallel));
        await next(context);
        events.Publish(new BatchCompleted(turn.TaskId, turn.Address, context.BatchId,
            context.Calls.Count(c => c.Result?.IsError != false), Stopwatch.GetElapsedTime(started),
            context.Caller, context.Calls.Select(c => c.Call.CallId).ToList(), context.Parallel));
    }
}
