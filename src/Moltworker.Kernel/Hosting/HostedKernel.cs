using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Filters.SemanticKernel;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Hosting;

/// <summary>
/// The one Semantic Kernel <see cref="Microsoft.SemanticKernel.Kernel"/> of the host (also registered in DI as
/// <c>Kernel</c>). Its <c>Plugins</c> mirror the <see cref="PluginCatalog"/>: every tool on offer (compiled-in, drop-in,
/// MCP) as a <see cref="KernelFunction"/>, under its plugin's name; they are replaced whenever the catalog changes.
/// Its function-invocation filters run around every call the agent loop dispatches through it: Moltworker's per-call
/// concerns in <see cref="FilterOrder.Function"/>'s order, then a user's (from DI, then those exported by drop-in
/// plugins; <see cref="UserFunctionFilters"/>).
/// </summary>
public sealed partial class HostedKernel
{
    private readonly PluginCatalog _catalog;
    private readonly Lock _gate = new();
    private readonly Microsoft.SemanticKernel.Kernel _kernel;
    private ToolSnapshot? _mirrored;

    public HostedKernel(IServiceProvider services, PluginCatalog catalog, IEnumerable<ICallFunctionFilter> callFilters)
    {
        _catalog = catalog;
        _kernel = new Microsoft.SemanticKernel.Kernel(services); // takes a user's IFunctionInvocationFilters from DI
        var users = _kernel.FunctionInvocationFilters.ToList();
        _kernel.FunctionInvocationFilters.Clear();
        foreach (var filter in FilterOrder.Sort(callFilters, FilterOrder.Function)) _kernel.FunctionInvocationFilters.Add(filter);
        _kernel.FunctionInvocationFilters.Add(new UserFunctionFilters(users, catalog));
        catalog.Changed += () => Sync();
    }

    /// <summary>The kernel, its plugins matching the catalog's current snapshot.</summary>
    public Microsoft.SemanticKernel.Kernel Kernel => Sync();

    private Microsoft.SemanticKernel.Kernel Sync()
    {
        var snapshot = _catalog.Snapshot;
        if (ReferenceEquals(Volatile.Read(ref _mirrored), snapshot)) return _kernel;
        lock (_gate)
        {
            if (ReferenceEquals(_mirrored, snapshot)) return _kernel;
            var plugins = snapshot.Loaded.Select(ToPlugin).ToList();
            _kernel.Plugins.Clear();
            _kernel.Plugins.AddRange(plugins);
            Volatile.Write(ref _mirrored, snapshot);
        }
        return _kernel;
    }

    private static KernelPlugin ToPlugin(PluginDescriptor plugin) =>
        KernelPluginFactory.CreateFromFunctions(PluginName(plugin.Name), null, plugin.Tools.Select(AsKernelFunction).OfType<KernelFunction>());

    private static KernelFunction? AsKernelFunction(AIFunction function) =>
        Agent.KernelFunctions.For(function) is { } f && f.Name == function.Name ? f : null; // SK would offer a renamed tool (a name clash) under its old name

    /// <summary>SK plugin names allow letters, digits and underscores only.</summary>
    public static string PluginName(string name) => InvalidChars().Replace(name, "_");

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex InvalidChars();
}
