using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>Keys of <see cref="TurnContext.Items"/> used by the durable-task filters.</summary>
public static class TaskItems
{
    /// <summary>The turn has a task row (checkpoints are written).</summary>
    public const string Tracked = "task.tracked";

    /// <summary>The turn continues after a budget hit or a restart (results may be in the journal).</summary>
    public const string Resumed = "task.resumed";

    public static bool IsTracked(TurnContext turn) => turn.Items.GetValueOrDefault(Tracked) is true;
    public static bool IsResumed(TurnContext turn) => turn.Items.GetValueOrDefault(Resumed) is true;
}
