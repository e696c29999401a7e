using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Tests.Plugins;

/// <summary>The plugin catalog loads in the background at start; /healthz's "plugins" entry never waits for it.</summary>
public sealed class PluginWarmupTests
{
    [Fact]
    public async Task Health_says_loading_without_building_the_catalog_until_the_warmup_has_run()
    {
        var source = new CountingSource();
        var catalog = new PluginCatalog([source], NullLogger<PluginCatalog>.Instance);
        var warmup = new PluginWarmup(catalog);
        var health = new PluginsHealth(catalog, warmup);

        var before = await health.CheckAsync(CancellationToken.None);
        Assert.Equal("""{"loading":true}""", JsonSerializer.Serialize(before.Data));
        Assert.Equal(0, source.Reads);

        await warmup.StartAsync(CancellationToken.None);
        await warmup.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, source.Reads);
        var after = await health.CheckAsync(CancellationToken.None);
        Assert.Contains("\"loaded\":[]", JsonSerializer.Serialize(after.Data));
        Assert.Equal(1, source.Reads); // the snapshot the warm-up built
    }

    private sealed class CountingSource : IPluginSource
    {
        private int _reads;
        public int Reads => _reads;
        public int Order => 0;
        public IReadOnlyList<PluginDescriptor> Plugins
        {
            get
            {
                Interlocked.Increment(ref _reads);
                return [];
            }
        }
        public event Action? Changed { add { } remove { } }
    }
}
