using Moltworker.Kernel.Chat;

namespace Moltworker.Kernel.Tasks;

/// <summary>The answer a finished (or stopped) task gives to its message when that message arrives again.</summary>
public static class TaskAnswers
{
    /// <summary>The stored answer; null while the task is still running.</summary>
    public static ChatReply? Of(DurableTask task) => task.Status switch
    {
        DurableTaskStatus.Completed => new ChatReply(task.FinalText ?? "", IsError: false) { TaskId = task.Id },
        DurableTaskStatus.Failed or DurableTaskStatus.Paused => new ChatReply(task.LastError ?? task.FinalText ?? "", IsError: true) { TaskId = task.Id },
        DurableTaskStatus.AwaitingApproval => new ChatReply(task.LastError ?? "", IsError: false) { TaskId = task.Id },
        _ => null,
    };
}
