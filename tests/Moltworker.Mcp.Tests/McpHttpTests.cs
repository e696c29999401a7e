using Moltworker.Testing.Mcp;

namespace Moltworker.Mcp.Tests;

/// <summary>An MCP server reached over Streamable HTTP on loopback, with configured headers.</summary>
public sealed class McpHttpTests
{
    [Fact]
    public async Task An_http_server_is_used_with_the_configured_headers()
    {
        await using var server = await McpHttpTestServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Moltworker:Mcp:Servers:remote:Url"] = server.Endpoint.ToString(),
            ["Moltworker:Mcp:Servers:remote:Headers:Authorization"] = "Bearer t0k3n",
        };
        await using var mcp = await McpFixture.StartAsync(settings);

        var plugin = Assert.Single(mcp.Catalog.Snapshot.Loaded, p => p.Name == "remote");
        Assert.Equal("2.0.0", plugin.Version);
        Assert.Equal("over http: hi", (await mcp.CallAsync("http_echo", ("text", "hi"))).Content);
        Assert.NotEmpty(server.Requests);
        Assert.All(server.Requests, headers => Assert.Equal("Bearer t0k3n", headers.Authorization.ToString()));
        Assert.Equal(0, mcp.Log.Count("t0k3n"));
    }

    [Fact]
    public async Task A_call_that_finds_the_http_server_gone_is_a_transient_error_and_the_server_is_reported()
    {
        var server = await McpHttpTestServer.StartAsync();
        await using var mcp = await McpFixture.StartAsync(new Dictionary<string, string?> { ["Moltworker:Mcp:Servers:remote:Url"] = server.Endpoint.ToString() });
        Assert.Contains(mcp.Catalog.Snapshot.Loaded, p => p.Name == "remote");

        await server.DisposeAsync();
        var outcome = await mcp.CallAsync("http_echo", ("text", "anyone?"));

        Assert.True(outcome.IsError);
        Assert.Contains("MCP server remote is not reachable", outcome.Content);
        await mcp.UntilAsync(s => s.FailedPlugins.Any(p => p.Name == "remote"));
        Assert.Null(mcp.Catalog.Find("http_echo"));
    }
}
