using System.Collections.Concurrent;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.ToolTasks;

namespace Moltworker.Host.Endpoints.Mcp;

/// <summary>
/// Waits for the answer of a tool task that was resumed elsewhere (after a person answered its approval): listens to
/// <see cref="TaskAnswered"/> from before the call runs, so an answer that comes before the caller knows the task id is
/// kept, not missed. One per call; dispose it to stop listening.
/// </summary>
public sealed class TaskAnswerWaiter : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskAnswered> _answers = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<TaskAnswered> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _subscription;
    private string? _waitingFor;

    public TaskAnswerWaiter(IEventBus events) => _subscription = events.Subscribe(OnEvent);

    /// <summary>The answer of <paramref name="taskId"/>, or null when none came within <paramref name="wait"/>.</summary>
    public async Task<TaskAnswered?> WaitAsync(string taskId, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _waitingFor, taskId);
        if (_answers.TryGetValue(taskId, out var early)) return early;
        if (wait <= TimeSpan.Zero) return null;
        try { return await _answer.Task.WaitAsync(wait, time, cancellationToken); }
        catch (TimeoutException) { return null; }
    }

    private void OnEvent(KernelEvent e)
    {
        if (e is not TaskAnswered answered || answered.Address.Channel != ToolCallTasks.Channel) return;
        _answers[answered.TaskId] = answered;
        if (Volatile.Read(ref _waitingFor) == answered.TaskId) _answer.TrySetResult(answered);
    }

    public void Dispose() => _subscription.Dispose();
}
