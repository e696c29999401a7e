using Microsoft.SemanticKernel;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Filters.SemanticKernel;

/// <summary>
/// The innermost filter on the hosted kernel: runs a user's <see cref="IFunctionInvocationFilter"/>s (registered in DI,
/// in registration order) and then those exported by loaded drop-in assemblies (from the catalog's current snapshot, so
/// a plugin's filters come and go with it without changing the kernel's filter list while calls run). Around an SK
/// plugin's function they run once per attempt, on the invocation of the plugin's own <see cref="KernelFunction"/> (the
/// dispatch forwards to it, see <see cref="DispatchFunctions"/>); around any other tool, on the dispatch itself.
/// </summary>
public sealed class UserFunctionFilters(IReadOnlyList<IFunctionInvocationFilter> registered, PluginCatalog catalog) : IFunctionInvocationFilter
{
    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        if (DispatchFunctions.Forwards(context.Function)) return next(context);
        var dropIn = catalog.Snapshot.FunctionFilters;
        IReadOnlyList<IFunctionInvocationFilter> filters = dropIn.Count == 0 ? registered : [.. registered, .. dropIn];
        return Run(filters, 0, context, next);
    }

    private static Task Run(IReadOnlyList<IFunctionInvocationFilter> filters, int index, FunctionInvocationContext context,
        Func<FunctionInvocationContext, Task> next) =>
        index >= filters.Count ? next(context) : filters[index].OnFunctionInvocationAsync(context, c => Run(filters, index + 1, c, next));
}
