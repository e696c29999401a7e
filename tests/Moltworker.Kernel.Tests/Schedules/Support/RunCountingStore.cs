using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Kernel.Tests.Schedules.Support;

/// <summary>The scheduler's store, counting the runs it hands out (claims) and the runs that wrote their result, so a
/// test can wait until a delivered run has also been recorded: the run delivers before it writes.</summary>
public sealed class RunCountingStore(IScheduleStore inner) : IScheduleStore
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _claimed, _written;

    /// <summary>True when every claimed run has written its result.</summary>
    public bool AllWritten { get { lock (_gate) return _written >= _claimed; } }

    /// <summary>Completes at the next run result written.</summary>
    public Task NextWritten { get { lock (_gate) return _recorded.Task; } }

    public async Task<IReadOnlyList<Schedule>> ClaimDueAsync(DateTimeOffset now, string owner, int max, CancellationToken cancellationToken)
    {
        var due = await inner.ClaimDueAsync(now, owner, max, cancellationToken);
        lock (_gate) _claimed += due.Count;
        return due;
    }

    public async Task CompleteRunAsync(string id, ScheduleRunOutcome outcome, CancellationToken cancellationToken)
    {
        try { await inner.CompleteRunAsync(id, outcome, cancellationToken); }
        finally
        {
            TaskCompletionSource recorded;
            lock (_gate) { _written++; recorded = _recorded; _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously); }
            recorded.TrySetResult();
        }
    }

    public Task<bool> AddAsync(Schedule schedule, int maxPerChat, CancellationToken cancellationToken) => inner.AddAsync(schedule, maxPerChat, cancellationToken);
    public Task<IReadOnlyList<Schedule>> ListAsync(ChatAddress? chat, CancellationToken cancellationToken) => inner.ListAsync(chat, cancellationToken);
    public Task<Schedule?> GetAsync(string id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);
    public Task<bool> RemoveAsync(string id, ChatAddress? chat, CancellationToken cancellationToken) => inner.RemoveAsync(id, chat, cancellationToken);
    public Task<bool> PauseAsync(string id, ChatAddress? chat, DateTimeOffset at, CancellationToken cancellationToken) => inner.PauseAsync(id, chat, at, cancellationToken);
    public Task<bool> ResumeAsync(string id, ChatAddress? chat, DateTimeOffset nextRunAt, CancellationToken cancellationToken) => inner.ResumeAsync(id, chat, nextRunAt, cancellationToken);
    public Task<DateTimeOffset?> NextDueAsync(string owner, CancellationToken cancellationToken) => inner.NextDueAsync(owner, cancellationToken);
}
