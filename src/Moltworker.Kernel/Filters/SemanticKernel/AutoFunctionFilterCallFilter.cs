using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Filters.SemanticKernel;

/// <summary>
/// Runs the hosted kernel's <see cref="IAutoFunctionInvocationFilter"/>s (a user's, from DI, then those exported by
/// loaded drop-in plugins) around each tool call the
/// model asked for, as SK's own auto-invocation would, with the context filled from the batch: the model request number
/// in the turn (<c>RequestSequenceIndex</c>), the call's position and the batch size (<c>FunctionSequenceIndex</c>,
/// <c>FunctionCount</c>), the model's <c>ToolCallId</c>, the <c>ChatHistory</c> so far and the assistant message that made
/// the calls. A filter that skips <c>next</c> answers the call with its own result. <c>Terminate</c> marks the batch
/// (<see cref="BatchContext.TerminatedBy"/>): calls not started yet are answered "skipped" and the turn ends after the
/// batch, its answer the terminating call's result, so every call is still answered exactly once.
/// Batches composed by a command or a tool have no model request: SK would not run these filters there, nor does this.
/// </summary>
public sealed class AutoFunctionFilterCallFilter(HostedKernel hosted, PluginCatalog catalog) : ICallFilter
{
    public async Task OnCallAsync(CallContext context, Func<CallContext, Task> next)
    {
        var kernel = hosted.Kernel;
        var batch = context.Batch;
        var dropIn = catalog.Snapshot.AutoFunctionFilters;
        IList<IAutoFunctionInvocationFilter> filters = dropIn.Count == 0 ? kernel.AutoFunctionInvocationFilters : [.. kernel.AutoFunctionInvocationFilters, .. dropIn];
        if (filters.Count == 0 || batch is null || batch.Caller != "model" || context.Function is null
            || KernelFunctions.For(context.Function) is not { } function)
        {
            await next(context);
            return;
        }

        var turn = batch.Turn;
        var request = turn.History.LastOrDefault(m => m.Role == ChatRole.Assistant) ?? new ChatMessage(ChatRole.Assistant, "");
        var arguments = new KernelArguments();
        foreach (var (name, value) in context.Arguments) arguments[name] = value;
        var auto = new AutoFunctionInvocationContext(kernel, function, new FunctionResult(function), ChatHistoryMapper.ToChatHistory(turn.History),
            ChatHistoryMapper.ToContent(request))
        {
            Arguments = arguments,
            RequestSequenceIndex = Math.Max(0, turn.Step - 1),
            FunctionSequenceIndex = context.Index,
            FunctionCount = batch.Calls.Count,
            ToolCallId = context.Call.CallId,
            CancellationToken = context.CancellationToken,
        };

        var ran = false;
        await Pipeline(filters, 0, auto, async _ =>
        {
            ran = true;
            await next(context);
            auto.Result = new FunctionResult(function, context.Result?.Content);
        });

        if (!ran || !Equals(auto.Result.GetValue<object>(), context.Result?.Content))
            context.Result = ToolOutput.Result(auto.Result.GetValue<object>()); // a filter's own value: text and images as a function's
        if (auto.Terminate) batch.TerminatedBy ??= context;
    }

    private static Task Pipeline(IList<IAutoFunctionInvocationFilter> filters, int index, AutoFunctionInvocationContext context,
        Func<AutoFunctionInvocationContext, Task> inner) =>
        index >= filters.Count ? inner(context) : filters[index].OnAutoFunctionInvocationAsync(context, c => Pipeline(filters, index + 1, c, inner));
}
