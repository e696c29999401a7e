using System.Text.Json;
using Moltworker.Kernel.Commands.BuiltIn;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.State;

namespace Moltworker.Mcp.Tests;

/// <summary>Servers that cannot start, answer wrongly or are misconfigured: reported, never in the way of the rest.</summary>
public sealed class McpFailureTests
{
    [Fact]
    public async Task A_server_that_cannot_start_is_reported_and_the_other_servers_and_plugins_work()
    {
        var settings = McpFixture.TestServer("tester");
        settings["Moltworker:Mcp:Servers:broken:Command"] = "/nonexistent/mcp-server-binary";
        await using var mcp = await McpFixture.StartAsync(settings, plugins: [typeof(EchoPlugin)]);

        var failed = Assert.Single(mcp.Catalog.Snapshot.FailedPlugins);
        Assert.Equal(("broken", "mcp"), (failed.Name, failed.Origin));
        Assert.StartsWith("cannot connect", failed.Error);
        Assert.Contains("/nonexistent/mcp-server-binary", failed.Error); // the cause, not just "failed to connect"

        // /healthz "plugins" and `plugins list` (the /plugins text) name it with its error.
        var health = mcp.Kernel.Get<IEnumerable<IHealthContributor>>().Single(c => c.Name == "plugins");
        var json = JsonSerializer.SerializeToElement((await health.CheckAsync(CancellationToken.None)).Data);
        var entry = Assert.Single(json.GetProperty("failed").EnumerateArray());
        Assert.Equal("broken", entry.GetProperty("name").GetString());
        Assert.Contains("broken", PluginsCommand.Describe(mcp.Catalog.Snapshot));

        Assert.Equal("echo: still here", (await mcp.CallAsync("tester_echo", ("text", "still here"))).Content);
        Assert.Equal("local: too", (await mcp.CallAsync("echo", ("text", "too"))).Content);
    }

    [Fact]
    public async Task A_server_that_exits_at_start_is_reported_with_its_last_stderr_line()
    {
        await using var mcp = await McpFixture.StartAsync(McpFixture.TestServer("quitter", "--exit-at-start", "3"));

        var failed = Assert.Single(mcp.Catalog.Snapshot.FailedPlugins);
        Assert.Equal("quitter", failed.Name);
        Assert.Contains("refusing to start (asked to)", failed.Error);
    }

    [Fact]
    public async Task An_incomplete_entry_is_reported_and_a_disabled_one_is_left_out()
    {
        var settings = McpFixture.TestServer("off");
        settings["Moltworker:Mcp:Servers:off:Enabled"] = "false";
        settings["Moltworker:Mcp:Servers:empty:ParallelSafe"] = "true";
        settings["Moltworker:Mcp:Servers:both:Command"] = "x";
        settings["Moltworker:Mcp:Servers:both:Url"] = "http://127.0.0.1:9/mcp";
        await using var mcp = await McpFixture.StartAsync(settings);

        var failed = mcp.Catalog.Snapshot.FailedPlugins.ToDictionary(p => p.Name, p => p.Error);
        Assert.Equal(["both", "empty"], failed.Keys.Order());
        Assert.Equal("configuration: neither Command nor Url is set", failed["empty"]);
        Assert.Contains("choose one", failed["both"]);
        Assert.DoesNotContain(mcp.Catalog.Snapshot.Plugins, p => p.Name == "off");
    }
}
