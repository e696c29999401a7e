using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.Tests.Fakes;
using Moltworker.Testing.Kernel;

namespace Moltworker.Kernel.Tests.Plugins;

public sealed class PluginCatalogTests
{
    [Fact]
    public async Task A_plugin_whose_constructor_throws_is_reported_and_the_others_load()
    {
        await using var kernel = TestKernel.Create(plugins: [typeof(EchoPlugin), typeof(BrokenCtorPlugin)]);
        var snapshot = kernel.Get<PluginCatalog>().Snapshot;

        Assert.Contains("echo", snapshot.Tools.Keys);
        var failed = Assert.Single(snapshot.FailedPlugins);
        Assert.Equal("BrokenCtor", failed.Name);
        Assert.Contains("cannot start", failed.Error);
    }

    [Fact]
    public async Task Clashing_tool_names_get_the_plugin_name_as_prefix()
    {
        await using var kernel = TestKernel.Create(plugins: [typeof(EchoPlugin), typeof(ClashingPlugin)]);
        var tools = kernel.Get<PluginCatalog>().Snapshot.Tools;

        Assert.Contains("echo", tools.Keys);
        Assert.Contains("other_echo", tools.Keys);
        Assert.Equal("other: x", await tools["other_echo"].InvokeAsync(new() { ["text"] = "x" }) is System.Text.Json.JsonElement e ? e.GetString() : null);
    }
}
