using Microsoft.SemanticKernel;

namespace Moltworker.Kernel.Filters.SemanticKernel;

/// <summary>One of Moltworker's own per-call concerns, an SK function-invocation filter on the hosted kernel. Registered
/// under this type (not <see cref="IFunctionInvocationFilter"/>) so that the hosted kernel places them in
/// <see cref="FilterOrder.Function"/>'s order, before a user's filters.</summary>
public interface ICallFunctionFilter : IFunctionInvocationFilter;

/// <summary>
/// Base of the per-call concerns: runs <see cref="OnCallAsync"/> with the call's typed state when the invocation is a
/// call the agent loop dispatches (see <see cref="CallScope"/>), and stays out of the way otherwise (a nested
/// invocation, a function invoked on the kernel by other code). <c>next</c> may be given another copy of the call (an
/// attempt with its own token); the filters and the function inside then see that copy. It may be called again (retry).
/// </summary>
public abstract class CallFunctionFilter : ICallFunctionFilter
{
    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next) =>
        CallScope.Of(context) is { } call ? OnCallAsync(call, attempt => ContinueAsync(attempt, context, next)) : next(context);

    protected abstract Task OnCallAsync(CallContext context, Func<CallContext, Task> next);

    private static async Task ContinueAsync(CallContext attempt, FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        CallScope.Enter(attempt);
        await next(context);
    }
}
