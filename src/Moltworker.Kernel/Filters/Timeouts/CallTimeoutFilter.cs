using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Filters.SemanticKernel;

namespace Moltworker.Kernel.Filters.Timeouts;

/// <summary>
/// Gives each attempt of a call its tool's timeout (declared, or <c>Moltworker:Tools:DefaultTimeout</c>) on a token linked
/// to the call's. When the timeout fires first, the call gets a <see cref="ToolStatus.Timeout"/> result (transient) even if
/// the tool ignores its token; when the turn is cancelled, the cancellation propagates.
/// </summary>
public sealed class CallTimeoutFilter(IOptionsMonitor<ToolsOptions> options, TimeProvider time) : CallFunctionFilter
{
    protected override async Task OnCallAsync(CallContext context, Func<CallContext, Task> next)
    {
        var timeout = context.Metadata.Timeout ?? options.CurrentValue.DefaultTimeout;
        if (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            await next(context);
            return;
        }
        var outer = context.CancellationToken;
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(outer, timer.Token);
        // The inner pipeline works on its own copy, so a tool that finishes after its timeout cannot overwrite the result.
        var attempt = CallContexts.Fork(context, linked.Token);
        try
        {
            await next(attempt).WaitAsync(linked.Token);
            context.Result = attempt.Result;
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !outer.IsCancellationRequested)
        {
            context.Result = new ToolResult(
                $"Error: '{context.Call.Name}' did not finish within {timeout.TotalSeconds:0.###} s and was stopped (timeout). " +
                "Try again with a smaller request, or use another tool.", ToolStatus.Timeout) { Transient = true };
        }
    }
}
