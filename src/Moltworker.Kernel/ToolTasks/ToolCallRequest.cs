using System.Text.Json;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.ToolTasks;

/// <summary>A client's direct call of one tool (the MCP server's <c>tools/call</c>): the tool's name, its arguments as
/// the client sent them, and who called (channel <see cref="ToolCallTasks.Channel"/>, the caller as chat and user).</summary>
public sealed record ToolCallRequest(string Tool, IReadOnlyDictionary<string, JsonElement> Arguments, ChatAddress Address);

/// <summary>How a tool task ended for its caller: the tool's result text, or what stopped it (waiting for approval
/// <see cref="ApprovalId"/>, paused on an in-doubt call).</summary>
public sealed record ToolCallOutcome(string TaskId, string Text, bool IsError)
{
    /// <summary>Set while the call waits for a person's approval.</summary>
    public string? ApprovalId { get; init; }
}
