using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;
using Moltworker.Kernel.Filters.SemanticKernel;

namespace Moltworker.Kernel.Filters.Journal;

/// <summary>
/// Journals every call: the intent (idempotency key, tool, redacted arguments) is committed before dispatch and the
/// result after it, so both are durable before the next model call. A call cancelled in flight keeps only its intent:
/// after a crash it is "in doubt" (see <see cref="JournalReplayFilter"/>).
/// </summary>
public sealed class JournalCallFilter(IToolJournal journal, Redactor redactor, TimeProvider time) : CallFunctionFilter
{
    protected override async Task OnCallAsync(CallContext context, Func<CallContext, Task> next)
    {
        var tool = context.Tool;
        await journal.RecordIntentAsync(new JournalEntry
        {
            Key = tool.IdempotencyKey,
            TaskId = tool.TaskId,
            Step = context.Batch?.Turn.Step ?? 0,
            CallId = context.Call.CallId,
            Tool = context.Call.Name,
            Arguments = redactor.Arguments(context.Arguments),
            SideEffects = context.Metadata.SideEffects,
            StartedAt = time.GetUtcNow(),
        }, CancellationToken.None);

        await next(context);

        if (context.Result is { } result)
            await journal.RecordResultAsync(tool.IdempotencyKey, tool.TaskId, result, context.Tool.Attempt, time.GetUtcNow(), CancellationToken.None);
    }
}
