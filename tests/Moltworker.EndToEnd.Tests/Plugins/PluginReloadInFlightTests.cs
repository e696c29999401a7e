using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Hosting;
using static Moltworker.EndToEnd.Tests.Hosting.TestArtifacts;

namespace Moltworker.EndToEnd.Tests.Plugins;

/// <summary>A call that is running when its plugin is replaced finishes on the old build; the next call gets the new one.</summary>
public sealed class PluginReloadInFlightTests
{
    private const string GateAssembly = "Moltworker.TestPlugins.Gate";

    [Fact]
    public async Task Call_in_flight_finishes_on_the_old_version_after_a_reload()
    {
        var entered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await RunningHost.StartAsync(
            prepare: dir => DropFolder("gate-1", GateAssembly, dir),
            configure: services => services.AddSingleton(entered).AddSingleton(release));
        Assert.Equal("1.0.0.0", await host.PluginVersionAsync("Gate"));

        var inFlight = host.ChatAsync("/gate");
        Assert.Equal("1.0", await entered.Task.WaitAsync(TimeSpan.FromSeconds(20)));

        DropFolder("gate-2", GateAssembly, host.PluginsDir);
        await host.EventuallyAsync(() => host.PluginVersionAsync("Gate"), v => v == "2.0.0.0", "version 2 of the gate plugin to load");
        Assert.False(inFlight.IsCompleted);

        release.SetResult();
        var old = await inFlight.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(old.IsError, old.Text);
        Assert.Equal("gate version 1.0", old.Text);

        var next = await host.ChatAsync("/gate");
        Assert.False(next.IsError, next.Text);
        Assert.Equal("gate version 2.0", next.Text);
    }
}
