using Microsoft.SemanticKernel;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Filters.SemanticKernel;

/// <summary>
/// Registered on the hosted kernel (after the filters from DI): runs the <see cref="IFunctionInvocationFilter"/>s that
/// loaded drop-in assemblies export, from the catalog's current snapshot, so a plugin's filters come and go with it
/// without changing the kernel's filter list while calls run.
/// </summary>
public sealed class DropInFunctionFilters(PluginCatalog catalog) : IFunctionInvocationFilter
{
    public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next) =>
        Run(catalog.Snapshot.FunctionFilters, 0, context, next);

    private static Task Run(IReadOnlyList<IFunctionInvocationFilter> filters, int index, FunctionInvocationContext context,
        Func<FunctionInvocationContext, Task> next) =>
        index >= filters.Count ? next(context) : filters[index].OnFunctionInvocationAsync(context, c => Run(filters, index + 1, c, next));
}
