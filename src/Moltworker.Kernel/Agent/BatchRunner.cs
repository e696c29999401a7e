using Microsoft.Extensions.AI;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Agent;

/// <summary>
/// Runs one batch of tool calls: batch filters around the whole, call filters around each call, and the
/// guarantee that every call ends with exactly one result, in the order the calls were made.
/// Sequential unless a batch filter (the gate) switched <see cref="BatchContext.Parallel"/> on.
/// </summary>
public sealed class BatchRunner
{
    private readonly CallPreparer _preparer;
    private readonly Func<BatchContext, Task> _batchPipeline;
    private readonly Func<CallContext, Task> _callPipeline;

    public BatchRunner(CallPreparer preparer, FunctionInvoker invoker, IEnumerable<IBatchFilter> batchFilters, IEnumerable<ICallFilter> callFilters)
    {
        _preparer = preparer;
        _callPipeline = FilterPipeline.Build<ICallFilter, CallContext>(FilterOrder.Sort(callFilters, FilterOrder.Call), static (f, c, n) => f.OnCallAsync(c, n), invoker.InvokeAsync);
        _batchPipeline = FilterPipeline.Build<IBatchFilter, BatchContext>(FilterOrder.Sort(batchFilters, FilterOrder.Batch), static (f, c, n) => f.OnBatchAsync(c, n), ExecuteAsync);
    }

    /// <param name="allowed">Calls at or past this index are answered "skipped" (a call limit).</param>
    /// <param name="composed">The batch comes from a tool through <c>IToolInvoker</c>.</param>
    /// <param name="limit">Why calls past <paramref name="allowed"/> are skipped (default: the per-turn limit).</param>
    public async Task<IReadOnlyList<CallContext>> RunAsync(TurnContext turn, IReadOnlyList<FunctionCallContent> calls, string caller, int allowed = int.MaxValue, bool composed = false,
        string? limit = null)
    {
        limit ??= "the tool call limit of this turn was reached (Moltworker:Agent:MaxToolCallsPerTurn)";
        var contexts = calls.Select((call, i) => _preparer.Prepare(call, i, turn, i >= allowed ? limit : null)).ToList();
        var batch = new BatchContext
        {
            BatchId = $"{turn.TaskId}/{turn.Step}/{caller}",
            Turn = turn,
            Calls = contexts,
            Caller = caller,
            Composed = composed,
            CancellationToken = turn.CancellationToken,
        };
        foreach (var call in contexts) call.Batch = batch;

        await _batchPipeline(batch);

        var why = batch.TerminatedBy is null ? "the batch ended before this call ran" : "a filter ended the turn before this call ran";
        foreach (var call in contexts)
            call.Result ??= ToolResult.Skipped(why);
        return contexts;
    }

    private async Task ExecuteAsync(BatchContext batch)
    {
        var pending = batch.Calls.Where(c => c.Result is null).ToList();
        if (!batch.Parallel || pending.Count < 2)
        {
            foreach (var call in pending.TakeWhile(_ => batch.TerminatedBy is null)) await RunCallAsync(call);
            return;
        }
        using var slots = new SemaphoreSlim(Math.Max(1, batch.MaxConcurrency));
        await Task.WhenAll(pending.Select(async call =>
        {
            await slots.WaitAsync(batch.CancellationToken);
            try { await RunCallAsync(call); }
            finally { slots.Release(); }
        }));
    }

    private async Task RunCallAsync(CallContext call)
    {
        try { await _callPipeline(call); }
        catch (OperationCanceledException) when (call.Batch!.CancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex) { call.Result = FunctionInvoker.FromException(ex); }
        call.Result ??= ToolResult.Error("the call produced no result");
    }
}
