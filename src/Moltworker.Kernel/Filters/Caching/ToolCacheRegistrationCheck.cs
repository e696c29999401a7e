using Microsoft.Extensions.Hosting;
using Moltworker.Abstractions;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>Applies <see cref="ToolCacheRules"/> to every tool when the plugin catalog is built and whenever it changes
/// (a drop-in plugin added or replaced), so a side-effecting tool that declares a time-to-live is refused, with its
/// warning, when it is registered rather than at its first call.</summary>
public sealed class ToolCacheRegistrationCheck(PluginCatalog catalog, ToolCacheRules rules) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        catalog.Changed += Check;
        _ = Task.Run(Check, CancellationToken.None);   // the first build may take a moment: off the start path
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        catalog.Changed -= Check;
        return Task.CompletedTask;
    }

    /// <summary>Every tool of the current catalog through the rules. Never throws (it runs from the catalog's change
    /// event): a catalog that cannot be read now is checked again at its next change, and each call is checked anyway.</summary>
    public void Check()
    {
        try
        {
            foreach (var (name, tool) in catalog.Snapshot.Tools) rules.For(name, ToolMetadata.Of(tool));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The catalog logs its own load failures; the filter applies the same rules at every call.
        }
    }
}
