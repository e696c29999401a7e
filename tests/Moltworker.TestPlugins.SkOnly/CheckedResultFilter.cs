using Microsoft.SemanticKernel;

namespace Moltworker.TestPlugins.SkOnly;

/// <summary>A plain SK function-invocation filter exported by the plugin: the host runs it around every call while the
/// plugin is loaded. It marks this plugin's results so the test can see it ran.</summary>
public sealed class CheckedResultFilter : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        await next(context);
        if (context.Function.Name == "km_to_miles")
            context.Result = new FunctionResult(context.Function, $"{context.Result.GetValue<object>()} [checked]");
    }
}
