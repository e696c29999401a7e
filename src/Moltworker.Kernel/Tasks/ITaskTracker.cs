using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Tasks;

/// <summary>Told when a turn starts and when it ends (after its messages are kept). The durable task store
/// implements it; with none registered, turns are not durable.</summary>
public interface ITaskTracker
{
    Task StartedAsync(TurnContext turn, CancellationToken cancellationToken);

    /// <summary>A message with a stable id arrived again: the answer of its task (finished, or joined while it runs
    /// or resumes), or null when there is no such task yet.</summary>
    Task<ChatReply?> RedeliveredAsync(string taskId, CancellationToken cancellationToken);

    Task FinishedAsync(TurnContext turn, ChatReply reply, Exception? error, CancellationToken cancellationToken);
}
