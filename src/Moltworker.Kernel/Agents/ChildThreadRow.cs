using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Agents;

/// <summary>The stored form (<see cref="TaskThread"/>) of a delegated turn as it stands: its thread's id, parent, call
/// and start, the turn's agent, model and usage so far, and the given status.</summary>
public static class ChildThreadRow
{
    public static TaskThread Of(TurnContext child, TaskThreadStatus status)
    {
        var thread = child.Thread ?? throw new InvalidOperationException($"Turn of task {child.TaskId} is not a delegated thread.");
        return new TaskThread
        {
            Id = thread.Id,
            TaskId = child.TaskId,
            ParentId = thread.Parent.Thread?.Id,
            ToolCallId = thread.ToolCallId,
            Agent = child.Agent,
            Model = child.Model.Id,
            Status = status,
            InputTokens = child.Usage.InputTokenCount ?? 0,
            OutputTokens = child.Usage.OutputTokenCount ?? 0,
            StartedAt = thread.StartedAt,
        };
    }
}
