using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Approvals;

/// <summary>
/// Continues a task once none of its requests is pending: releases it and resumes it through the resume service, from its
/// checkpoint, the way a task resumes after a crash (finished calls come from the journal; the answered call meets its
/// outcome in the gate). The answer is published as <c>TaskAnswered</c> for the channels. If the task paused again on a
/// request answered in the meantime, it is resumed once more.
/// </summary>
public sealed partial class ApprovalResumer(IApprovalStore store, ITaskStore tasks, IServiceProvider services, ILogger<ApprovalResumer> logger)
{
    private const int MaxRounds = 3;

    /// <summary>Releases the task when nothing of it is pending (so that a redelivered message joins its resume from
    /// now on) and resumes it in the background; failures are logged.</summary>
    public async Task StartAsync(string taskId, CancellationToken cancellationToken)
    {
        if (await ReleaseAsync(taskId, cancellationToken) is not { } task) return;
        _ = Task.Run(async () =>
        {
            try { await RunAsync(task); }
            catch (Exception ex) { LogFailed(ex, taskId); }
        }, CancellationToken.None);
    }

    private async Task RunAsync(DurableTask task)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            // Resolved lazily: the resume service depends on the agent service, whose filters depend on the approvals.
            await services.GetRequiredService<TaskResumeService>().JoinAsync(task, CancellationToken.None);
            if (await tasks.GetAsync(task.Id, CancellationToken.None) is not { Status: DurableTaskStatus.AwaitingApproval }) return;
            if (await ReleaseAsync(task.Id, CancellationToken.None) is not { } again) return;
            task = again;
        }
    }

    /// <summary>The task made runnable, or null when a request of it is still pending or it is not waiting any more.</summary>
    private async Task<DurableTask?> ReleaseAsync(string taskId, CancellationToken cancellationToken)
    {
        if (await store.CountPendingAsync(taskId, cancellationToken) > 0) return null;
        await tasks.ReleaseAsync(taskId, cancellationToken);
        return await tasks.GetAsync(taskId, cancellationToken) is { Status: DurableTaskStatus.Running } task ? task : null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Resuming task {TaskId} after its approvals failed")]
    private partial void LogFailed(Exception ex, string taskId);
}
