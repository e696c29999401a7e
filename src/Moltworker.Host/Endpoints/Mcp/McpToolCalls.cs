using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.ToolTasks;

namespace Moltworker.Host.Endpoints.Mcp;

/// <summary>
/// Runs an MCP client's <c>tools/call</c> as a durable task of its own (<see cref="ToolCallTaskRunner"/>): channel
/// <c>mcp</c>, the API key's name as chat and user (<c>local</c> for a loopback client while no key exists). The tool's
/// text comes back as one text block; an error result (the tool threw, timed out, was denied) comes back with
/// <c>isError</c>. A call that needs approval waits up to <see cref="ToolServerOptions.ApprovalWait"/> for the answer and
/// returns the resumed task's result; after that it returns an error result naming the approval and the task. Every
/// result names its task in <c>_meta</c>, so a client can look it up (<c>GET /api/tasks/{id}</c>, its events, its rows).
/// </summary>
public sealed partial class McpToolCalls(
    ToolCallTaskRunner runner, IEventBus events, IOptionsMonitor<ToolServerOptions> options, TimeProvider time, ILogger<McpToolCalls> logger)
{
    public const string LocalCaller = "local";
    public const string TaskIdMeta = "moltworker/taskId";
    public const string ApprovalIdMeta = "moltworker/approvalId";

    public async ValueTask<CallToolResult> CallAsync(string tool, IDictionary<string, JsonElement>? arguments, ClaimsPrincipal? user, CancellationToken cancellationToken)
    {
        var caller = user?.FindFirst(ApiRateLimits.KeyNameClaim)?.Value ?? LocalCaller;
        var request = new ToolCallRequest(tool, arguments is null ? new Dictionary<string, JsonElement>() : new Dictionary<string, JsonElement>(arguments),
            new ChatAddress(ToolCallTasks.Channel, caller, caller));
        using var answers = new TaskAnswerWaiter(events);
        ToolCallOutcome outcome;
        try { outcome = await runner.RunAsync(request, cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex)
        {
            LogFailed(ex, tool);
            return Result(null, $"The call of {tool} failed inside the host: {ex.Message}", isError: true);
        }
        if (outcome.ApprovalId is not { } approval) return Result(outcome.TaskId, outcome.Text, outcome.IsError);

        var answer = await answers.WaitAsync(outcome.TaskId, options.CurrentValue.ApprovalWait, time, cancellationToken);
        if (answer is not null) return Result(outcome.TaskId, answer.Text, answer.IsError);
        return Result(outcome.TaskId, $"The call of {tool} waits for approval {approval} (task {outcome.TaskId}). An admin answers it with " +
                      $"POST /api/approvals/{approval}, `moltworker approvals approve {approval}` or the console; once approved it runs " +
                      $"once, and GET /api/tasks/{outcome.TaskId} holds its result.", isError: true, approval);
    }

    /// <summary>The result's <c>_meta</c> names the task (<see cref="TaskIdMeta"/>) and a pending approval (<see cref="ApprovalIdMeta"/>).</summary>
    private static CallToolResult Result(string? taskId, string text, bool isError, string? approvalId = null)
    {
        var meta = new JsonObject();
        if (taskId is not null) meta[TaskIdMeta] = taskId;
        if (approvalId is not null) meta[ApprovalIdMeta] = approvalId;
        return new CallToolResult { Content = [new TextContentBlock { Text = text }], IsError = isError, Meta = meta.Count > 0 ? meta : null };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The MCP call of {Tool} failed inside the host")]
    private partial void LogFailed(Exception ex, string tool);
}
