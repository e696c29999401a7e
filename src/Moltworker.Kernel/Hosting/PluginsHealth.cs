using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Hosting;

/// <summary>/healthz entry "plugins": loaded and failed plugins with their errors.</summary>
public sealed class PluginsHealth(PluginCatalog catalog) : IHealthContributor
{
    public string Name => "plugins";

    public Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        var s = catalog.Snapshot;
        return Task.FromResult(new HealthEntry(true, new
        {
            loaded = s.Loaded.Select(p => new { name = p.Name, origin = p.Origin, version = p.Version, tools = p.Tools.Select(t => t.Name) }),
            failed = s.FailedPlugins.Select(p => new { name = p.Name, origin = p.Origin, error = p.Error }),
        }));
    }
}
