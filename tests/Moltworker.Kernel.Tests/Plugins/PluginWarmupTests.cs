using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Tests.Plugins;

/// <summary>The plugin catalog loads in the background at start; /healthz's "plugins" entry never waits for it.</summary>
public sealed class PluginWarmupTests
{
    [Fact]
    public async Task Health_says_loading_without_building_the_catalog_while_the_warmup_runs()
    {
        var source = new CountingSource();
        var catalog = new PluginCatalog([source], NullLogger<PluginCatalog>.Instance);
        var warmup = new PluginWarmup(catalog);
        var health = new PluginsHealth(catalog, warmup);

        await warmup.StartAsync(CancellationToken.None); // the source blocks the load until released
        var during = await health.CheckAsync(CancellationToken.None);
        Assert.Equal("""{"loading":true}""", JsonSerializer.Serialize(during.Data));
        Assert.True(warmup.Running);

        source.Release.SetResult();
        await warmup.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(warmup.Running);
        Assert.Equal(1, source.Reads);
        var after = await health.CheckAsync(CancellationToken.None);
        Assert.Contains("\"loaded\":[]", JsonSerializer.Serialize(after.Data));
        Assert.Equal(1, source.Reads); // the snapshot the warm-up built
    }

    [Fact]
    public async Task A_warmup_that_never_started_leaves_health_to_load_the_catalog_itself()
    {
        var source = new CountingSource();
        source.Release.SetResult();
        var catalog = new PluginCatalog([source], NullLogger<PluginCatalog>.Instance);
        var health = new PluginsHealth(catalog, new PluginWarmup(catalog)); // a host that was built but not started

        var entry = await health.CheckAsync(CancellationToken.None);

        Assert.Contains("\"loaded\":[]", JsonSerializer.Serialize(entry.Data));
        Assert.Equal(1, source.Reads);
    }

    private sealed class CountingSource : IPluginSource
    {
        private int _reads;
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Reads => _reads;
        public int Order => 0;
        public IReadOnlyList<PluginDescriptor> Plugins
        {
            get
            {
                Release.Task.Wait(TimeSpan.FromSeconds(30));
                Interlocked.Increment(ref _reads);
                return [];
            }
        }
        public event Action? Changed { add { } remove { } }
    }
}
