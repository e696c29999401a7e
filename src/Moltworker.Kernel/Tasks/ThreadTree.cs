using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Tasks;

/// <summary>Tokens and their cost (from the catalog's prices of the model that spent them).</summary>
public sealed record ThreadUsage(long InputTokens, long OutputTokens, decimal Cost)
{
    public static readonly ThreadUsage Zero = new(0, 0, 0m);

    public ThreadUsage Plus(ThreadUsage other) => new(InputTokens + other.InputTokens, OutputTokens + other.OutputTokens, Cost + other.Cost);
}

/// <summary>One thread of a task's tree: its stored row, its status (the root's is the task's), its own usage (its model
/// calls), its total (its own and its descendants') and the threads it delegated to, in the order they started. A root
/// whose task has not ended has no recorded usage: <see cref="Own"/> is null and <see cref="Total"/> counts its children.</summary>
public sealed record ThreadNode(TaskThread Thread, string Status, ThreadUsage? Own, ThreadUsage Total, IReadOnlyList<ThreadNode> Children);

/// <summary>
/// Builds a task's thread tree from the task row and its stored threads. A stored thread's token counts include the
/// ended threads it delegated to (their usage was added to their parent's), so a thread's own usage is its count minus
/// theirs, and the task's total (the root's) is the sum of every thread's own usage.
/// </summary>
public static class ThreadTree
{
    public static ThreadNode Build(DurableTask task, IReadOnlyList<TaskThread> threads, ModelCatalog models)
    {
        var recordedRoot = threads.FirstOrDefault(t => t.Id == task.Id);
        var root = recordedRoot ?? new TaskThread { Id = task.Id, TaskId = task.Id, Agent = task.Agent, StartedAt = task.CreatedAt };
        var byParent = threads.Where(t => t.Id != task.Id).ToLookup(t => t.ParentId ?? task.Id, StringComparer.Ordinal);
        var status = task.Status.ToString().ToLowerInvariant();
        return Node(root, status, recordedRoot is not null, byParent, models, [root.Id]);
    }

    private static ThreadNode Node(TaskThread thread, string status, bool recorded, ILookup<string, TaskThread> byParent, ModelCatalog models, HashSet<string> seen)
    {
        var children = byParent[thread.Id].Where(c => seen.Add(c.Id))
            .Select(c => Node(c, c.Status.ToString().ToLowerInvariant(), recorded: true, byParent, models, seen)).ToList();
        var counted = children.Where(c => c.Thread.HasEnded).ToList(); // what was added to this thread's counts
        var childTotals = children.Aggregate(ThreadUsage.Zero, (sum, c) => sum.Plus(c.Total));
        if (!recorded) return new ThreadNode(thread, status, null, childTotals, children);

        var input = Math.Max(0, thread.InputTokens - counted.Sum(c => c.Thread.InputTokens));
        var output = Math.Max(0, thread.OutputTokens - counted.Sum(c => c.Thread.OutputTokens));
        var own = new ThreadUsage(input, output, thread.Model is { } model ? models.Get(model).Cost(input, output) : 0m);
        return new ThreadNode(thread, status, own, own.Plus(childTotals), children);
    }
}
