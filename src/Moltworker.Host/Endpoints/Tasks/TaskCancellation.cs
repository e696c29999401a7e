using Microsoft.AspNetCore.Http;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Host.Endpoints.Tasks;

/// <summary>
/// <c>POST /api/tasks/{id}/cancel</c>. A task running in this host is cancelled: its turn stops (calls in flight are
/// cancelled), it fails with "The task was cancelled." and the waiting request gets that answer; 202 with the task.
/// A paused task (waiting for the user) fails at once; 200. A finished task, or one running in another host, is 409.
/// </summary>
public static class TaskCancellation
{
    public static async Task<IResult> CancelAsync(string id, ITaskStore store, RunningTasks running, IEventBus events, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } task) return TasksApi.NotFound(id);
        if (running.Cancel(id)) return Results.Accepted($"/api/tasks/{id}", TaskView.Of(task, running));
        switch (task.Status)
        {
            case DurableTaskStatus.Paused:
                await store.SetStatusAsync(id, DurableTaskStatus.Failed, TaskCancelledException.Text, null, ct);
                events.Publish(new PoStateChanged(id, task.Address, PoStatus.Idle));
                events.Publish(new TaskFailed(id, task.Address, TaskCancelledException.Text));
                return Results.Ok(TaskView.Of((await store.GetAsync(id, ct))!, running));
            case DurableTaskStatus.Running:
                return Conflict($"Task '{id}' is not running in this host (another host owns it, or it waits to be resumed at the next start).");
            default:
                return Conflict($"Task '{id}' has already finished ({task.Status.ToString().ToLowerInvariant()}).");
        }
    }

    private static IResult Conflict(string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "The task cannot be cancelled",
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10");
}
