using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using Moltworker.Host.Endpoints.Mcp;

namespace Moltworker.EndToEnd.Tests.Mcp;

/// <summary>A call that needs approval: the MCP client waits up to <c>Moltworker:McpServer:ApprovalWait</c> for a person's
/// answer and gets the tool's result; after that it gets an error result naming the approval, and the call still runs
/// once, when approved, in its own task.</summary>
public sealed class McpServerApprovalTests
{
    [Fact]
    public async Task A_call_approved_while_the_client_waits_returns_the_tool_s_result()
    {
        await using var host = await McpHost.StartAsync(["--Moltworker:McpServer:ApprovalWait=00:01:00"]);
        await using var client = await host.ConnectAsync();

        var call = client.CallToolAsync("mcp_guarded", new Dictionary<string, object?> { ["change"] = "paint it blue" }).AsTask();
        var approval = await PendingAsync(host);
        Assert.False(call.IsCompleted);
        Assert.Empty(host.Notes.Written);
        await ApproveAsync(host, approval.GetProperty("id").GetString()!);

        var result = await call.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("changed paint it blue", McpHost.TextOf(result));
        Assert.Equal(["paint it blue"], host.Notes.Written);
        var taskId = McpHost.TaskOf(result);
        Assert.Equal(approval.GetProperty("taskId").GetString(), taskId);
        var names = (await host.EventsAsync(taskId)).Select(e => e.Name).ToList();
        Assert.True(names.IndexOf("approval_requested") < names.IndexOf("approval_resolved"), string.Join(", ", names));
        Assert.Equal("completed", (await host.TaskAsync(taskId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_call_not_answered_in_time_returns_the_approval_id_and_runs_once_when_approved()
    {
        await using var host = await McpHost.StartAsync(["--Moltworker:McpServer:ApprovalWait=00:00:00"]);
        await using var client = await host.ConnectAsync();

        var waiting = await client.CallToolAsync("mcp_guarded", new Dictionary<string, object?> { ["change"] = "move the wall" });

        Assert.True(waiting.IsError);
        var approvalId = waiting.Meta?[McpToolCalls.ApprovalIdMeta]?.GetValue<string>();
        Assert.NotNull(approvalId);
        Assert.Contains($"waits for approval {approvalId}", McpHost.TextOf(waiting), StringComparison.Ordinal);
        var taskId = McpHost.TaskOf(waiting);
        Assert.Equal("awaitingapproval", (await host.TaskAsync(taskId)).GetProperty("status").GetString());
        Assert.Empty(host.Notes.Written);

        await ApproveAsync(host, approvalId);
        var done = await host.Host.EventuallyAsync(() => host.TaskAsync(taskId), t => t.GetProperty("status").GetString() == "completed", "the approved task to finish");
        Assert.Equal(["move the wall"], host.Notes.Written);
        Assert.Contains("changed move the wall", done.GetRawText(), StringComparison.Ordinal);
    }

    private static Task<JsonElement> PendingAsync(McpHost host) =>
        host.Host.EventuallyAsync(async () =>
        {
            var body = await host.Http.GetFromJsonAsync<JsonElement>("/api/approvals");
            return body.GetProperty("approvals").EnumerateArray().FirstOrDefault();
        }, a => a.ValueKind == JsonValueKind.Object, "the approval request");

    private static async Task ApproveAsync(McpHost host, string id)
    {
        using var response = await host.Http.PostAsJsonAsync($"/api/approvals/{id}", new { approve = true });
        response.EnsureSuccessStatusCode();
    }
}
