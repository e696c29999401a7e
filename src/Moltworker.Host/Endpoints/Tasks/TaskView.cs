using Moltworker.Kernel.Tasks;

namespace Moltworker.Host.Endpoints.Tasks;

/// <summary>A task as <c>/api/tasks</c> shows it (status in lower case: running, paused, completed, failed).</summary>
public sealed record TaskView(string Id, string Status, string Channel, string ChatId, string Agent, string Phase, int Step,
    int AutoResumeCount, string? LastError, string? FinalText, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool RunningHere)
{
    public static TaskView Of(DurableTask task, RunningTasks running) => new(task.Id, task.Status.ToString().ToLowerInvariant(),
        task.Address.Channel, task.Address.ChatId, task.Agent, task.Phase, task.Step, task.AutoResumeCount, task.LastError, task.FinalText,
        task.CreatedAt, task.UpdatedAt, running.IsRunning(task.Id));
}
