using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Filters.SemanticKernel;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Filters.Results;

/// <summary>The innermost of Moltworker's filters: turns what the function returned, after a user's filters had their
/// say, into the call's <see cref="ToolResult"/> (text capped at <c>Moltworker:Agent:MaxResultChars</c>, images beside
/// it), and anything it threw into an error result. Only cancellation of the attempt's token propagates (the timeout
/// filter and the turn decide what it means).</summary>
public sealed class CallResultFilter(IOptions<AgentOptions> options) : ICallFunctionFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        if (CallScope.Of(context) is not { } call)
        {
            await next(context);
            return;
        }
        try
        {
            await next(context);
            call.Result = ToolOutput.Result(context.Result.GetValue<object>(), options.Value.MaxResultChars);
        }
        catch (OperationCanceledException) when (call.CancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex) { call.Result = FunctionInvoker.FromException(ex); }
    }
}
