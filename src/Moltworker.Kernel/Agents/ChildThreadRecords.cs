using Microsoft.Extensions.AI;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// Makes delegated threads durable when the host has a thread store (<see cref="ITaskThreadStore"/>): a new thread gets
/// a row with its parent pointer and first checkpoint; a thread met again (its parent's call runs again after a crash,
/// a restart or a retry) is resumed from its last checkpoint if it was interrupted, or read back if it had ended; an
/// ending thread stores its answer or error and its usage. Without a store every thread starts afresh and nothing is kept.
/// </summary>
public sealed class ChildThreadRecords(TimeProvider time, ModelCatalog models, ITaskThreadStore? store = null)
{
    /// <summary>Threads survive a crash: <c>ask_&lt;agent&gt;</c> reconciles by its thread (it is idempotent).</summary>
    public bool Durable => store is not null;

    /// <summary>The stored thread with this id, if any.</summary>
    public async Task<TaskThread?> FindAsync(string threadId) =>
        store is null ? null : await store.GetAsync(threadId, CancellationToken.None);

    /// <summary>Starts the row of a new thread, or puts an interrupted one's last checkpoint into <paramref name="child"/>
    /// (marking it resumed, so the journal answers the calls it made before). Returns where its phases continue.</summary>
    public async Task<(int FirstPhase, bool InPhase)> StartOrResumeAsync(TurnContext child, TaskThread? interrupted)
    {
        if (store is null) return (0, false);
        var thread = child.Thread!;
        if (interrupted is not null && await store.LoadCheckpointAsync(thread.Id, CancellationToken.None) is { } stored)
        {
            var checkpoint = TaskCheckpoint.Decode(thread.Id, stored);
            checkpoint.ApplyTo(child);
            child.Model = models.Get(checkpoint.ModelId);
            child.IsResumed = true;
            return (checkpoint.PhaseIndex, checkpoint.InPhase);
        }
        await store.StartAsync(Row(child, TaskThreadStatus.Running), TaskCheckpoint.Of(child, inPhase: false).Encode(), CancellationToken.None);
        return (0, false);
    }

    public Task CompletedAsync(TurnContext child, string answer) =>
        store?.RecordAsync(Row(child, TaskThreadStatus.Completed) with { Answer = answer, EndedAt = time.GetUtcNow() }, CancellationToken.None) ?? Task.CompletedTask;

    public Task FailedAsync(TurnContext child, string error) =>
        store?.RecordAsync(Row(child, TaskThreadStatus.Failed) with { Error = error, EndedAt = time.GetUtcNow() }, CancellationToken.None) ?? Task.CompletedTask;

    /// <summary>The usage a stored thread had, to add to its parent's when it is read back.</summary>
    public static UsageDetails UsageOf(TaskThread thread) => new() { InputTokenCount = thread.InputTokens, OutputTokenCount = thread.OutputTokens };

    private TaskThread Row(TurnContext child, TaskThreadStatus status)
    {
        var thread = child.Thread!;
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
            StartedAt = time.GetUtcNow(),
        };
    }
}
