using Microsoft.Extensions.AI;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// Makes delegated threads durable when the host has a thread store (<see cref="ITaskThreadStore"/>): a thread met
/// again (its parent's call runs again after a crash, a restart or a retry) is resumed from its last checkpoint if it
/// was interrupted, or read back if it had ended; an ending thread stores its answer or error and its usage. Starting a
/// thread writes nothing: its row is first written with its first checkpoint (<see cref="TaskCheckpointer"/>, before
/// its first batch) or when it ends, whichever comes first, because until then a crash loses nothing a fresh run does
/// not redo identically (docs/decisions/0058-durable-child-threads.md). Without a store every thread starts afresh and
/// nothing is kept.
/// </summary>
public sealed class ChildThreadRecords(TimeProvider time, ModelCatalog models, ITaskThreadStore? store = null)
{
    /// <summary>Threads survive a crash: <c>ask_&lt;agent&gt;</c> reconciles by its thread (it is idempotent).</summary>
    public bool Durable => store is not null;

    /// <summary>The stored thread with this id, if any.</summary>
    public async Task<TaskThread?> FindAsync(string threadId) =>
        store is null ? null : await store.GetAsync(threadId, CancellationToken.None);

    /// <summary>Puts an interrupted thread's last checkpoint into <paramref name="child"/> (marking it resumed, so the
    /// journal answers the calls it made before) and returns where its phases continue; a new thread (or one stored
    /// without a checkpoint) starts at its first phase, and nothing is written for it yet.</summary>
    public async Task<(int FirstPhase, bool InPhase)> ResumeAsync(TurnContext child, TaskThread? interrupted)
    {
        if (store is null || interrupted is null) return (0, false);
        var thread = child.Thread!;
        if (await store.LoadCheckpointAsync(thread.Id, CancellationToken.None) is not { } stored) return (0, false);
        var checkpoint = TaskCheckpoint.Decode(thread.Id, stored);
        checkpoint.ApplyTo(child);
        child.Model = models.Get(checkpoint.ModelId);
        child.IsResumed = true;
        return (checkpoint.PhaseIndex, checkpoint.InPhase);
    }

    public Task CompletedAsync(TurnContext child, string answer) =>
        store?.RecordAsync(ChildThreadRow.Of(child, TaskThreadStatus.Completed) with { Answer = answer, EndedAt = time.GetUtcNow() }, CancellationToken.None)
        ?? Task.CompletedTask;

    public Task FailedAsync(TurnContext child, string error) =>
        store?.RecordAsync(ChildThreadRow.Of(child, TaskThreadStatus.Failed) with { Error = error, EndedAt = time.GetUtcNow() }, CancellationToken.None)
        ?? Task.CompletedTask;

    /// <summary>The usage a stored thread had, to add to its parent's when it is read back.</summary>
    public static UsageDetails UsageOf(TaskThread thread) => new() { InputTokenCount = thread.InputTokens, OutputTokenCount = thread.OutputTokens };
}
