using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.ToolTasks;
using static Moltworker.EndToEnd.Tests.Mcp.McpHost;

namespace Moltworker.EndToEnd.Tests.Mcp;

/// <summary>Issue 13, item 7: <c>/mcp</c> offers the host's tools to an MCP client (the MCP C# SDK over Streamable HTTP),
/// and each call is a durable task of its own that goes through the same filters as a model's call.</summary>
public sealed class McpServerTests
{
    [Fact]
    public async Task The_host_s_tools_are_listed_with_their_safety_as_hints()
    {
        await using var host = await McpHost.StartAsync();
        await using var client = await host.ConnectAsync();

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);

        var lookup = tools["mcp_lookup"].ProtocolTool;
        Assert.Equal("Looks a word up", lookup.Description);
        Assert.Contains("word", lookup.InputSchema.GetRawText(), StringComparison.Ordinal);
        Assert.True(lookup.Annotations?.ReadOnlyHint);
        Assert.False(lookup.Annotations?.DestructiveHint);
        var write = tools["mcp_write"].ProtocolTool;
        Assert.False(write.Annotations?.ReadOnlyHint);
        Assert.True(write.Annotations?.DestructiveHint);
        Assert.Contains("calculate", tools.Keys); // a built-in plugin's tool
    }

    [Fact]
    public async Task A_read_only_call_runs_as_a_task_with_its_events_journal_and_transaction_row()
    {
        await using var host = await McpHost.StartAsync();
        await using var client = await host.ConnectAsync();

        var result = await client.CallToolAsync("mcp_lookup", new Dictionary<string, object?> { ["word"] = "otter" });

        Assert.NotEqual(true, result.IsError);
        Assert.Equal("otter: found", TextOf(result));
        var taskId = TaskOf(result);
        var task = await host.TaskAsync(taskId);
        Assert.Equal("completed", task.GetProperty("status").GetString());
        Assert.Equal(ToolCallTasks.Channel, task.GetProperty("channel").GetString());

        var names = (await host.EventsAsync(taskId)).Select(e => e.Name).ToList();
        Assert.Equal(["task_started", "parallel_batch_started", "tool_call_started", "tool_call_completed", "parallel_batch_completed", "task_completed"],
            names.Where(n => n is not "po_state").ToList());

        var journal = await host.Host.Services.GetRequiredService<IToolJournal>().ListAsync(taskId, CancellationToken.None);
        var entry = Assert.Single(journal);
        Assert.Equal(("mcp_lookup", ToolStatus.Ok), (entry.Tool, entry.Status));
        var row = Assert.Single(Rows(await host.ToolRowsAsync(taskId)));
        Assert.Equal("mcp_lookup", row.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_side_effecting_call_runs_once_and_is_journaled_with_its_side_effect()
    {
        await using var host = await McpHost.StartAsync();
        await using var client = await host.ConnectAsync();

        var result = await client.CallToolAsync("mcp_write", new Dictionary<string, object?> { ["note"] = "buy milk" });

        Assert.Equal("wrote buy milk", TextOf(result));
        Assert.Equal(["buy milk"], host.Notes.Written);
        var taskId = TaskOf(result);
        var entry = Assert.Single(await host.Host.Services.GetRequiredService<IToolJournal>().ListAsync(taskId, CancellationToken.None));
        Assert.True(entry.SideEffects);
        Assert.Equal(ToolStatus.Ok, entry.Status);
        Assert.Contains("buy milk", entry.Arguments, StringComparison.Ordinal);
        var row = Assert.Single(Rows(await host.ToolRowsAsync(taskId)));
        Assert.Equal(("mcp_write", "Ok"), (row.GetProperty("name").GetString(), row.GetProperty("status").GetString()));
        Assert.Contains("tool_call_completed", (await host.EventsAsync(taskId)).Select(e => e.Name));
    }

    [Fact]
    public async Task A_tool_that_throws_gives_an_error_result_and_the_session_goes_on()
    {
        await using var host = await McpHost.StartAsync();
        await using var client = await host.ConnectAsync();

        var failed = await client.CallToolAsync("mcp_explode");

        Assert.True(failed.IsError);
        Assert.Contains("the fuse was lit", TextOf(failed), StringComparison.Ordinal);
        var task = await host.TaskAsync(TaskOf(failed));
        Assert.Equal("failed", task.GetProperty("status").GetString());
        Assert.Contains("task_failed", (await host.EventsAsync(TaskOf(failed), "task_failed")).Select(e => e.Name));

        var next = await client.CallToolAsync("mcp_lookup", new Dictionary<string, object?> { ["word"] = "still" });
        Assert.Equal("still: found", TextOf(next));
    }

    [Fact]
    public async Task A_call_with_arguments_that_do_not_fit_the_schema_is_refused_before_the_tool_runs()
    {
        await using var host = await McpHost.StartAsync();
        await using var client = await host.ConnectAsync();

        var result = await client.CallToolAsync("mcp_write", new Dictionary<string, object?> { ["nothing"] = 1 });

        Assert.True(result.IsError);
        Assert.Contains("invalid arguments", TextOf(result), StringComparison.Ordinal);
        Assert.Empty(host.Notes.Written);
    }
}
