using System.Net;
using System.Net.Sockets;
using Moltworker.Testing.Time;

namespace Moltworker.Mcp.Tests;

/// <summary>Retries on the injected clock, tool list changes and servers that go away and come back.</summary>
public sealed class McpReconnectTests
{
    [Fact]
    public async Task A_failing_server_is_retried_with_a_doubling_capped_wait_and_logged_once()
    {
        var time = new FakeTimeProvider();
        var settings = new Dictionary<string, string?>
        {
            ["Moltworker:Mcp:Servers:broken:Command"] = "/nonexistent/mcp-server-binary",
            ["Moltworker:Mcp:RetryInitialDelay"] = "00:00:01",
            ["Moltworker:Mcp:RetryMaxDelay"] = "00:00:04",
        };
        await using var mcp = await McpFixture.StartAsync(settings, time: time);

        foreach (var seconds in new[] { 1, 2, 4, 4, 4 })
            time.Advance(await time.WaitForTimerAsync(TimeSpan.FromSeconds(seconds)));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(4)); // the sixth attempt failed too

        Assert.Equal(1, mcp.Log.Count("MCP server broken failed"));
        Assert.Equal("broken", Assert.Single(mcp.Catalog.Snapshot.FailedPlugins).Name);
    }

    [Fact]
    public async Task A_tool_list_change_raises_Changed_and_offers_the_new_tool()
    {
        await using var mcp = await McpFixture.StartAsync(McpFixture.TestServer("tester"));
        Assert.Null(mcp.Catalog.Find("shout"));

        var changed = mcp.NextChange();
        Assert.Equal("added shout", (await mcp.CallAsync("add_tool", ("name", "shout"))).Content);
        await changed;
        await mcp.UntilAsync(s => s.Tools.ContainsKey("shout"));

        Assert.Equal("shout: hey", (await mcp.CallAsync("shout", ("text", "hey"))).Content);
    }

    [Fact]
    public async Task A_server_that_goes_away_is_reported_then_reconnected_after_the_wait()
    {
        var time = new FakeTimeProvider();
        var settings = McpFixture.TestServer("tester");
        settings["Moltworker:Mcp:RetryInitialDelay"] = "00:00:02";
        await using var mcp = await McpFixture.StartAsync(settings, time: time);

        await mcp.CallAsync("exit", ("code", 7));
        await mcp.UntilAsync(s => s.FailedPlugins.Any(p => p.Name == "tester"));
        Assert.Contains("exited with code 7", mcp.Catalog.Snapshot.FailedPlugins.Single().Error);
        Assert.Null(mcp.Catalog.Find("echo"));

        time.Advance(await time.WaitForTimerAsync(TimeSpan.FromSeconds(2)));
        await mcp.UntilAsync(s => s.Tools.ContainsKey("echo"));

        Assert.Empty(mcp.Catalog.Snapshot.FailedPlugins);
        Assert.Equal("echo: back", (await mcp.CallAsync("echo", ("text", "back"))).Content);
    }

    /// <remarks>Tool results are not checked here: the MCP package logs whole messages at Trace level.</remarks>
    [Fact]
    public async Task An_unreachable_http_server_is_reported_and_its_header_and_environment_values_are_never_logged()
    {
        var port = ClosedPort();
        var settings = McpFixture.TestServer("stdio");
        settings["Moltworker:Mcp:Servers:stdio:Environment:MOLTWORKER_TEST_VALUE"] = "env-secret-4711";
        settings["Moltworker:Mcp:Servers:remote:Url"] = $"http://127.0.0.1:{port}/mcp";
        settings["Moltworker:Mcp:Servers:remote:Headers:Authorization"] = "Bearer header-secret-0815";
        await using var mcp = await McpFixture.StartAsync(settings);

        Assert.Equal("remote", Assert.Single(mcp.Catalog.Snapshot.FailedPlugins).Name);
        Assert.Contains(mcp.Catalog.Snapshot.Loaded, p => p.Name == "stdio"); // started with the variable set
        Assert.NotEmpty(mcp.Log.Entries);
        Assert.Equal(0, mcp.Log.Count("header-secret-0815"));
        Assert.Equal(0, mcp.Log.Count("env-secret-4711"));
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
