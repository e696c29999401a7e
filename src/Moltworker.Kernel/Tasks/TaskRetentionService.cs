using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Tasks;

/// <summary>Deletes finished tasks (completed or failed, with their checkpoint and journal), their events (and those of
/// untracked turns) and kept-turn records older than <c>Moltworker:Tasks:RetentionDays</c>, at start and every 6 hours. Running and paused tasks are never deleted:
/// they can still resume. The threads of deleted tasks go after them. Conversations themselves are kept.</summary>
public sealed class TaskRetentionService(ITaskStore tasks, IConversationStore conversations, IEventLog events, IOptions<TasksOptions> options, TimeProvider time,
    ILogger<TaskRetentionService> logger, ITaskThreadStore? threads = null) : PeriodicRetentionService(time, logger)
{
    protected override string What => "finished tasks, their events and turn records";

    protected override int RetentionDays => options.Value.RetentionDays;

    protected override async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        await tasks.PruneFinishedAsync(before, cancellationToken) + await events.PruneAsync(before, cancellationToken)
        + await conversations.PruneTurnsAsync(before, cancellationToken) + (threads is null ? 0 : await threads.PruneAsync(before, cancellationToken));
}
