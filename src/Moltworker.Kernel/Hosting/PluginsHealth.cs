using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Hosting;

/// <summary>/healthz entry "plugins": loaded and failed plugins with their errors; <c>{"loading":true}</c> while the
/// first load (<see cref="PluginWarmup"/>) still runs or is held back (<see cref="IStartupHold"/>), so the answer
/// never waits for it and never does it itself.</summary>
public sealed class PluginsHealth(PluginCatalog catalog, PluginWarmup? warmup = null, IStartupHold? hold = null) : IHealthContributor
{
    public string Name => "plugins";

    public Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        if (!catalog.IsBuilt && (warmup is { Running: true } || hold is { IsOpen: false })) return Task.FromResult(new HealthEntry(true, new { loading = true }));
        var s = catalog.Snapshot;
        return Task.FromResult(new HealthEntry(true, new
        {
            loaded = s.Loaded.Select(p => new { name = p.Name, origin = p.Origin, version = p.Version, tools = p.Tools.Select(t => t.Name) }),
            failed = s.FailedPlugins.Select(p => new { name = p.Name, origin = p.Origin, error = p.Error }),
        }));
    }
}
