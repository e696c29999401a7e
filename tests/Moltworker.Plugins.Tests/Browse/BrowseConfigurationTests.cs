using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moltworker.Abstractions;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Plugins;
using Moltworker.Plugins.BuiltIn;
using Moltworker.Plugins.BuiltIn.Browse;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Testing.Kernel;

namespace Moltworker.Plugins.Tests.Browse;

/// <summary>browse_url's settings and its behaviour without Chromium (no browser needed for these).</summary>
public sealed class BrowseConfigurationTests
{
    private const string Missing = "/nonexistent/chromium";

    [Fact]
    public async Task Without_chromium_the_tool_says_so_and_suggests_fetch_url()
    {
        await using var host = new BrowserHost(Options.Create(new BrowseOptions { ExecutablePath = Missing, TestOnlyAllowLoopbackPort = 9 }));
        var plugin = new BrowsePlugin(Log.For<BrowsePlugin>(), TimeProvider.System, host);
        var ex = await Assert.ThrowsAsync<ToolException>(() => plugin.BrowseUrlAsync("http://127.0.0.1:9/page"));
        Assert.Contains($"Chromium is not installed at {Missing}", ex.Message);
        Assert.Contains("Use fetch_url", ex.Message);
    }

    [Fact]
    public async Task Without_chromium_the_kernel_still_loads_every_plugin_and_the_call_fails_readably()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moltworker:Browse:ExecutablePath"] = Missing,
            ["Moltworker:Browse:MaxPages"] = "3",
        }).Build();
        await using var kernel = TestKernel.Create(plugins: BuiltInPlugins.Types, withFilters: true, configure: s => s.AddBrowse(configuration));
        Assert.Empty(kernel.Get<PluginCatalog>().Snapshot.FailedPlugins);
        Assert.Equal(3, kernel.Get<BrowserHost>().Options.MaxPages);
        var outcome = await kernel.Get<IToolInvoker>().InvokeBatchAsync(
            [new ToolRequest("browse_url", new Dictionary<string, object?> { ["url"] = "http://203.0.114.10/" })], new ToolContext(), CancellationToken.None);
        Assert.True(outcome[0].IsError);
        Assert.Contains("Use fetch_url", outcome[0].Content); // a public literal address: the guard passes, no DNS needed
    }

    [Fact]
    public void Invalid_settings_are_refused_at_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Moltworker:Browse:MaxPages"] = "0" }).Build();
        using var services = new ServiceCollection().AddBrowse(configuration).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BrowseOptions>>().Value);
        Assert.Contains("Moltworker:Browse is invalid", ex.Message);
        Assert.Equal("Moltworker:Browse:MaxPages must be at least 1", new BrowseOptions { MaxPages = 0 }.Problem());
    }

    [Fact]
    public async Task At_most_max_pages_are_open_at_once()
    {
        await using var host = new BrowserHost(Options.Create(new BrowseOptions { MaxPages = 2 }));
        var first = await host.AcquirePageAsync(CancellationToken.None);
        var second = await host.AcquirePageAsync(CancellationToken.None);
        var third = host.AcquirePageAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        first.Dispose();
        (await third).Dispose();
        second.Dispose();
    }
}
