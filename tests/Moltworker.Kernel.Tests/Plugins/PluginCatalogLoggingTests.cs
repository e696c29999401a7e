using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.Plugins.Loading;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tests.Fakes;
using Moltworker.Testing.Kernel;

namespace Moltworker.Kernel.Tests.Plugins;

/// <summary>A failed plugin is logged once per error, not on every catalog rebuild; it stays in the snapshot
/// (and so in /healthz and <c>plugins list</c>) every time.</summary>
public sealed class PluginCatalogLoggingTests
{
    private static PluginDescriptor Failed(string error) => PluginDescriptor.Failure("Weather", "mcp:weather", error);

    [Fact]
    public void A_failure_is_logged_once_until_its_error_changes_and_again_after_it_recovered()
    {
        var log = new CapturedLog();
        var source = new ScriptedPluginSource(0, Failed("connection refused"));
        var catalog = new PluginCatalog([source], log.For<PluginCatalog>());

        for (var rebuild = 0; rebuild < 3; rebuild++)
        {
            Assert.Equal("connection refused", Assert.Single(catalog.Snapshot.FailedPlugins).Error);
            source.Set(Failed("connection refused"));
        }
        Assert.Single(log.Problems("Weather"));

        source.Set(Failed("timed out"));
        Assert.Single(catalog.Snapshot.FailedPlugins);
        source.Set(Failed("timed out"));
        Assert.Single(catalog.Snapshot.FailedPlugins);
        Assert.Equal(2, log.Problems("Weather").Count);
        Assert.Contains("timed out", log.Problems("Weather")[1].Message);

        source.Set(new PluginDescriptor("Weather", "mcp:weather", []));
        Assert.Empty(catalog.Snapshot.FailedPlugins);
        source.Set(Failed("timed out"));
        Assert.Single(catalog.Snapshot.FailedPlugins);
        Assert.Equal(3, log.Problems("Weather").Count);
    }

    [Fact]
    public void A_name_clash_is_logged_once_across_rebuilds()
    {
        var log = new CapturedLog();
        var first = new ScriptedPluginSource(0, new PluginDescriptor("Weather", "built-in", []));
        var second = new ScriptedPluginSource(1, new PluginDescriptor("Weather", "drop-in:Weather.dll", []));
        var catalog = new PluginCatalog([first, second], log.For<PluginCatalog>());

        for (var rebuild = 0; rebuild < 3; rebuild++)
        {
            Assert.Contains("name clash", Assert.Single(catalog.Snapshot.FailedPlugins).Error);
            second.Set(new PluginDescriptor("Weather", "drop-in:Weather.dll", []));
        }

        Assert.Single(log.Problems("name clash"));
    }

    [Fact]
    public void A_tool_name_clash_is_logged_once_while_it_lasts()
    {
        var log = new CapturedLog();
        AIFunction Tool(string name) => AIFunctionFactory.Create(() => "ok", name);
        var first = new ScriptedPluginSource(0, new PluginDescriptor("Weather", "built-in", [Tool("get_weather")]));
        var second = new ScriptedPluginSource(1, new PluginDescriptor("Forecast", "drop-in:Forecast.dll", [Tool("get_weather")]));
        var catalog = new PluginCatalog([first, second], log.For<PluginCatalog>());

        for (var rebuild = 0; rebuild < 3; rebuild++)
        {
            Assert.NotNull(catalog.Find("forecast_get_weather"));
            second.Set(new PluginDescriptor("Forecast", "drop-in:Forecast.dll", [Tool("get_weather")]));
        }
        Assert.Single(log.Problems("get_weather"));

        second.Set(new PluginDescriptor("Forecast", "drop-in:Forecast.dll", [Tool("get_forecast")]));   // the clash ends…
        Assert.Null(catalog.Find("forecast_get_weather"));
        second.Set(new PluginDescriptor("Forecast", "drop-in:Forecast.dll", [Tool("get_weather")]));    // …and comes back: news
        Assert.NotNull(catalog.Find("forecast_get_weather"));
        Assert.Equal(2, log.Problems("get_weather").Count);
    }

    [Fact]
    public async Task Built_in_and_drop_in_failures_are_each_logged_once_while_the_folder_reloads()
    {
        var log = new CapturedLog();
        var data = Path.Combine(Path.GetTempPath(), "moltworker-tests", Guid.NewGuid().ToString("N"));
        var plugins = Directory.CreateDirectory(Path.Combine(data, "plugins")).FullName;
        await File.WriteAllTextAsync(Path.Combine(plugins, "Broken.dll"), "this is not an assembly");
        await using var kernel = TestKernel.Create(plugins: [typeof(EchoPlugin), typeof(BrokenCtorPlugin)], dataDirectory: data,
            configure: s => { s.AddPluginDirectory(); s.AddSingleton<ILoggerProvider>(log); });
        var catalog = kernel.Get<PluginCatalog>();
        var folder = kernel.Get<PluginDirectorySource>();
        var health = kernel.Get<IEnumerable<IHealthContributor>>().Single(h => h.Name == "plugins");

        for (var rebuild = 0; rebuild < 3; rebuild++)
        {
            var failed = catalog.Snapshot.FailedPlugins.Select(p => p.Name).Order().ToList();
            Assert.Equal(["Broken", "BrokenCtor"], failed.Take(2));
            var entry = JsonSerializer.Serialize((await health.CheckAsync(CancellationToken.None)).Data);
            Assert.Contains("not a .NET assembly", entry);
            Assert.Contains("cannot start", entry);
            // Another file in the folder: the source reloads and the catalog is rebuilt.
            await File.WriteAllTextAsync(Path.Combine(plugins, $"Other{rebuild}.dll"), "not an assembly either");
            Assert.True(folder.Rescan());
        }

        Assert.Single(log.Problems("cannot start"));        // the built-in plugin: the catalog's line, once
        Assert.Single(log.Problems("Broken.dll"));          // the drop-in: the loader's line, not repeated by the catalog
        Assert.Single(log.Problems("Other0.dll"));
    }
}
