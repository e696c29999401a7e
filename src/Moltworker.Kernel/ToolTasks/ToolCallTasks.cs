using Microsoft.Extensions.AI;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.ToolTasks;

/// <summary>
/// What marks a tool task: a durable task that runs one tool call a client asked for directly, with no model. Its
/// channel is <see cref="Channel"/> and its batch's caller <see cref="Caller"/>; its checkpoint holds the call as an
/// assistant message, so a resume (after an approval or a restart) finds the call again with the same idempotency key.
/// </summary>
public static class ToolCallTasks
{
    /// <summary>The channel of every tool task's address; no chat channel uses it.</summary>
    public const string Channel = "mcp";

    /// <summary>The caller named by a tool task's batch (events, batch id); the approval gate lets such a call wait.</summary>
    public const string Caller = "mcp";

    /// <summary>The call id of a tool task's one call.</summary>
    public const string CallId = "mcp_call";

    public static bool Is(DurableTask task) => task.Address.Channel == Channel;

    /// <summary>The call a tool task's checkpoint holds, or null when it holds none.</summary>
    public static FunctionCallContent? CallOf(TurnContext turn) =>
        turn.History.Where(m => m.Role == ChatRole.Assistant).SelectMany(m => m.Contents).OfType<FunctionCallContent>().LastOrDefault();
}
