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

    /// <summary>Resumes in the background; failures are logged.</summary>
    public void Start(string taskId) => _ = Task.Run(async () =>
    {
        try { await ResumeAsync(taskId, CancellationToken.None); }
        catch (Exception ex) { LogFailed(ex, taskId); }
    });

    public async Task ResumeAsync(string taskId, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            if (await store.CountPendingAsync(taskId, cancellationToken) > 0) return;
            await tasks.ReleaseAsync(taskId, cancellationToken);
            var task = await tasks.GetAsync(taskId, cancellationToken);
            if (task is not { Status: DurableTaskStatus.Running }) return;
            // Resolved lazily: the resume service depends on the agent service, whose filters depend on the approvals.
            await services.GetRequiredService<TaskResumeService>().JoinAsync(task, cancellationToken);
            task = await tasks.GetAsync(taskId, cancellationToken);
            if (task is not { Status: DurableTaskStatus.AwaitingApproval }) return;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Resuming task {TaskId} after its approvals failed")]
    private partial void LogFailed(Exception ex, string taskId);
}
