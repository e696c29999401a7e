using Moltworker.Abstractions;
using Moltworker.Testing.Time;

namespace Moltworker.Mcp.Tests;

/// <summary>Tools of a real MCP server (the test server over stdio) offered and called through the kernel.</summary>
public sealed class McpToolTests
{
    [Fact]
    public async Task Tools_are_listed_as_a_plugin_named_after_the_server_and_called_through_the_kernel()
    {
        await using var mcp = await McpFixture.StartAsync(McpFixture.TestServer("tester"));

        var plugin = Assert.Single(mcp.Catalog.Snapshot.Loaded, p => p.Name == "tester");
        Assert.Equal("mcp", plugin.Origin);
        Assert.Equal("1.2.3", plugin.Version);
        Assert.Equal(["add_tool", "echo", "env", "exit", "fail", "files_read", "hang"], plugin.Tools.Select(t => t.Name).Order());
        Assert.Contains("\"text\"", mcp.Catalog.Find("echo")!.JsonSchema.GetRawText());

        var outcome = await mcp.CallAsync("echo", ("text", "hello"));
        Assert.False(outcome.IsError, outcome.Content);
        Assert.Equal("echo: hello", outcome.Content);
    }

    [Fact]
    public async Task A_tool_name_the_model_api_would_refuse_is_offered_cleaned_and_still_calls_the_servers_tool()
    {
        await using var mcp = await McpFixture.StartAsync(McpFixture.TestServer("tester"));

        Assert.Null(mcp.Catalog.Find("files.read"));
        Assert.Equal("dotted: x", (await mcp.CallAsync("files_read", ("text", "x"))).Content);
    }

    [Fact]
    public async Task Without_a_started_host_the_first_read_connects_and_waits_for_the_servers()
    {
        await using var mcp = await McpFixture.StartAsync(McpFixture.TestServer("tester"), start: false);

        Assert.Contains(mcp.Catalog.Snapshot.Loaded, p => p.Name == "tester"); // what `plugins list` reads
        ((IDisposable)mcp.Kernel.Services).Dispose(); // the CLI disposes its host synchronously
    }

    [Fact]
    public async Task Metadata_comes_from_the_settings_and_readOnlyHint_means_no_side_effects()
    {
        var settings = McpFixture.TestServer("tester");
        settings["Moltworker:Mcp:Servers:tester:ParallelSafe"] = "true";
        settings["Moltworker:Mcp:Servers:tester:TimeoutSeconds"] = "7";
        settings["Moltworker:Mcp:Servers:tester:NeedsApproval"] = "true";
        await using var mcp = await McpFixture.StartAsync(settings);

        var echo = ToolMetadata.Of(mcp.Catalog.Find("echo")!);
        var addTool = ToolMetadata.Of(mcp.Catalog.Find("add_tool")!);
        Assert.Equal("tester", echo.Plugin);
        Assert.True(echo.ParallelSafe);
        Assert.Equal(TimeSpan.FromSeconds(7), echo.Timeout);
        Assert.True(echo.NeedsApproval);
        Assert.False(echo.SideEffects);   // the server marks echo readOnly
        Assert.True(addTool.SideEffects); // no readOnlyHint: assume it changes something
    }

    [Fact]
    public async Task Annotations_set_the_declarations_and_a_server_setting_only_overrides_them()
    {
        await using (var plain = await McpFixture.StartAsync(McpFixture.TestServer("tester")))
        {
            var echo = ToolMetadata.Of(plain.Catalog.Find("echo")!);
            var addTool = ToolMetadata.Of(plain.Catalog.Find("add_tool")!);
            Assert.True(echo.SafeToRunAlongside && echo.SafeToRepeat);        // readOnlyHint
            Assert.False(addTool.SafeToRunAlongside || addTool.SafeToRepeat); // no annotations: side-effecting, sequential
        }
        var settings = McpFixture.TestServer("tester");
        settings["Moltworker:Mcp:Servers:tester:SideEffects"] = "true";
        settings["Moltworker:Mcp:Servers:tester:ParallelSafe"] = "false";
        await using var overridden = await McpFixture.StartAsync(settings);
        var forced = ToolMetadata.Of(overridden.Catalog.Find("echo")!);
        Assert.True(forced.SideEffects);
        Assert.False(forced.SafeToRunAlongside);
    }

    [Fact]
    public async Task An_isError_result_comes_back_as_an_error_result_not_an_exception()
    {
        await using var mcp = await McpFixture.StartAsync(McpFixture.TestServer("tester"));

        var outcome = await mcp.CallAsync("fail", ("reason", "disk full"));

        Assert.True(outcome.IsError);
        Assert.Contains("it broke: disk full", outcome.Content);
    }

    [Fact]
    public async Task The_host_filters_apply_the_servers_timeout_to_its_tools()
    {
        var time = new FakeTimeProvider();
        var settings = McpFixture.TestServer("tester");
        settings["Moltworker:Mcp:Servers:tester:TimeoutSeconds"] = "3";
        settings["Moltworker:Mcp:ShutdownTimeout"] = "00:00:00.100"; // the hung call keeps the server busy at the end
        await using var mcp = await McpFixture.StartAsync(settings, time: time, withFilters: true);

        var call = mcp.CallAsync("hang");
        time.Advance(await time.WaitForTimerAsync(TimeSpan.FromSeconds(3)));
        var outcome = await call;

        Assert.True(outcome.IsError);
        Assert.Contains("did not finish within 3 s", outcome.Content);
    }

    [Fact]
    public async Task Environment_entries_reach_the_started_server()
    {
        var settings = McpFixture.TestServer("tester");
        settings["Moltworker:Mcp:Servers:tester:Environment:MOLTWORKER_TEST_VALUE"] = "from-config";
        await using var mcp = await McpFixture.StartAsync(settings);

        var outcome = await mcp.CallAsync("env", ("name", "MOLTWORKER_TEST_VALUE"));

        Assert.Equal("from-config", outcome.Content);
    }

    [Fact]
    public async Task A_name_taken_by_another_plugin_gets_the_server_name_as_prefix()
    {
        await using var mcp = await McpFixture.StartAsync(McpFixture.TestServer("tester"), plugins: [typeof(EchoPlugin)]);

        Assert.Equal("local: hi", (await mcp.CallAsync("echo", ("text", "hi"))).Content);
        Assert.Equal("echo: hi", (await mcp.CallAsync("tester_echo", ("text", "hi"))).Content);
    }

    [Fact]
    public async Task Two_servers_offering_the_same_tools_are_both_usable()
    {
        var settings = McpFixture.TestServer("alpha");
        foreach (var (k, v) in McpFixture.TestServer("beta")) settings[k] = v;
        settings["Moltworker:Mcp:Servers:beta:Environment:MOLTWORKER_TEST_VALUE"] = "beta's";
        await using var mcp = await McpFixture.StartAsync(settings);

        Assert.Equal("(unset)", (await mcp.CallAsync("env", ("name", "MOLTWORKER_TEST_VALUE"))).Content);
        Assert.Equal("beta's", (await mcp.CallAsync("beta_env", ("name", "MOLTWORKER_TEST_VALUE"))).Content);
    }
}
