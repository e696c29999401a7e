using Moltworker.Kernel.Tasks;

namespace Moltworker.Host.Endpoints.Tasks;

/// <summary><c>GET /api/tasks/{id}/threads</c>: the task's total usage and its root thread, each thread with its children.</summary>
public sealed record ThreadTreeView(string TaskId, UsageView Usage, ThreadView Root)
{
    public static ThreadTreeView Of(ThreadNode root) => new(root.Thread.TaskId, UsageView.Of(root.Total), ThreadView.Of(root));
}

/// <summary>One thread: status (the root's is the task's: running, paused, completed, failed…; a child's running,
/// completed or failed), its own usage (null for a root whose task has not ended) and the total with its descendants'.</summary>
public sealed record ThreadView(string ThreadId, string Agent, string? ParentThreadId, string? ToolCallId, string Status, string? Model,
    UsageView? Usage, UsageView TotalUsage, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Error, IReadOnlyList<ThreadView> Children)
{
    public static ThreadView Of(ThreadNode node) => new(node.Thread.Id, node.Thread.Agent,
        node.Thread.Id == node.Thread.TaskId ? null : node.Thread.ParentId ?? node.Thread.TaskId, node.Thread.ToolCallId, node.Status, node.Thread.Model,
        node.Own is { } own ? UsageView.Of(own) : null, UsageView.Of(node.Total), node.Thread.StartedAt, node.Thread.EndedAt, node.Thread.Error,
        node.Children.Select(Of).ToList());
}

public sealed record UsageView(long InputTokens, long OutputTokens, decimal Cost)
{
    public static UsageView Of(ThreadUsage usage) => new(usage.InputTokens, usage.OutputTokens, usage.Cost);
}
