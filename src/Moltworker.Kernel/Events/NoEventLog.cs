namespace Moltworker.Kernel.Events;

/// <summary>The event log of a kernel without a store: keeps nothing (events are still streamed live).</summary>
public sealed class NoEventLog : IEventLog
{
    public Task AppendAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken) => Task.CompletedTask;
    public Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredEvent>>([]);
    public Task<long> LastIdAsync(CancellationToken cancellationToken) => Task.FromResult(0L);
    public Task<long> LastSequenceAsync(string taskId, CancellationToken cancellationToken) => Task.FromResult(0L);
    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(0);
}
