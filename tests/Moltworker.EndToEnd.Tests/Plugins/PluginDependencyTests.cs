using Moltworker.EndToEnd.Tests.Hosting;
using static Moltworker.EndToEnd.Tests.Hosting.TestArtifacts;

namespace Moltworker.EndToEnd.Tests.Plugins;

/// <summary>A plugin's own dependencies come from its folder; without them it is reported, and loads once they arrive.</summary>
public sealed class PluginDependencyTests
{
    private const string DependentAssembly = "Moltworker.TestPlugins.Dependent";
    private const string HelperFile = "Moltworker.TestPlugins.Dependent.Helper.dll";

    [Fact]
    public async Task Missing_dependency_is_reported_and_the_plugin_loads_when_it_arrives()
    {
        await using var host = await RunningHost.StartAsync(prepare: dir =>
        {
            var folder = DropFolder("dependent", DependentAssembly, dir);
            File.Delete(Path.Combine(folder, HelperFile));
        });

        var (loaded, failed) = await host.PluginsAsync();
        Assert.DoesNotContain("Dependent", loaded);
        var error = Assert.Single(failed).Value;
        Assert.Contains("Moltworker.TestPlugins.Dependent.Helper", error);
        Assert.True((await host.ChatAsync("/shout hi")).IsError);

        File.Copy(Path.Combine(Plugin("dependent"), HelperFile), Path.Combine(host.PluginsDir, DependentAssembly, HelperFile));
        var shout = await host.EventuallyAsync(() => host.ChatAsync("/shout hi"), a => !a.IsError, "the plugin to load with its dependency");
        Assert.Equal("HI! (READY!)", shout.Text);
        Assert.Empty((await host.PluginsAsync()).Failed);
    }
}
