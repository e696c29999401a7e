using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>Creates the task row with its first checkpoint when a turn starts, and records how it ended: with a thread
/// store, the task's root thread is recorded first, with the task's usage (its own and its delegated threads').</summary>
public sealed class DurableTaskTracker(ITaskStore store, TaskOwner owner, TimeProvider time, IServiceProvider services, ITaskThreadStore? threads = null,
    ITaskEndStore? ends = null) : ITaskTracker
{
    public async Task StartedAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var task = new DurableTask { Id = turn.TaskId, Address = turn.Address, Agent = turn.Agent, Phase = turn.Phase, CreatedAt = now, UpdatedAt = now };
        await store.CreateAsync(task, owner.Id, TaskCheckpoint.Of(turn, inPhase: false).Encode(), cancellationToken);
        turn.IsTracked = true;
        turn.TaskCreatedAt = now;
    }

    public async Task<ChatReply?> RedeliveredAsync(string taskId, CancellationToken cancellationToken)
    {
        var task = await store.GetAsync(taskId, cancellationToken);
        if (task is null) return null;
        // Resolved lazily: the resume service itself depends on the agent service, which depends on the trackers.
        return TaskAnswers.Of(task) ?? await services.GetRequiredService<TaskResumeService>().JoinAsync(task, cancellationToken);
    }

    public async Task FinishedAsync(TurnContext turn, ChatReply reply, Exception? error, CancellationToken cancellationToken)
    {
        if (!turn.IsTracked) return;
        switch (error)
        {
            case TaskStoppedException: return; // the filter that stopped it recorded the status (paused / failed)
            case LeaseLostException: return;   // another host holds the task now: its status is that host's to record
            case null:
                await EndAsync(turn, DurableTaskStatus.Completed, TaskThreadStatus.Completed, reply.Text, null, reply.Text, cancellationToken);
                break;
            default:
                await EndAsync(turn, DurableTaskStatus.Failed, TaskThreadStatus.Failed, null, error.Message, reply.Text, cancellationToken);
                break;
        }
    }

    /// <summary>The root thread's row (with a thread store), then the task's status: in one write with an <see cref="ITaskEndStore"/>.</summary>
    private async Task EndAsync(TurnContext turn, DurableTaskStatus status, TaskThreadStatus threadStatus, string? answer, string? error, string? finalText,
        CancellationToken cancellationToken)
    {
        if (threads is null)
        {
            await store.SetStatusAsync(turn.TaskId, status, error, finalText, cancellationToken);
            return;
        }
        var root = await RootAsync(turn, threadStatus, answer, error, cancellationToken);
        if (ends is not null)
        {
            await ends.EndAsync(root, status, error, finalText, cancellationToken);
            return;
        }
        await threads.RecordAsync(root, cancellationToken);
        await store.SetStatusAsync(turn.TaskId, status, error, finalText, cancellationToken);
    }

    /// <summary>The root thread's row, written again if the task ends again after a crash (the same row).</summary>
    private async Task<TaskThread> RootAsync(TurnContext turn, TaskThreadStatus status, string? answer, string? error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var started = turn.TaskCreatedAt ?? (await store.GetAsync(turn.TaskId, cancellationToken))?.CreatedAt ?? now;
        return new TaskThread
        {
            Id = turn.TaskId,
            TaskId = turn.TaskId,
            Agent = turn.Agent,
            Model = turn.Model.Id,
            Status = status,
            Answer = answer,
            Error = error,
            InputTokens = turn.Usage.InputTokenCount ?? 0,
            OutputTokens = turn.Usage.OutputTokenCount ?? 0,
            StartedAt = started,
            EndedAt = now,
        };
    }
}
