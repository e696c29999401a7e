namespace Moltworker.Kernel.Events;

/// <summary>The durable event log: events stored per task, in id order. Narrow on purpose (SQLite now, PostgreSQL later).
/// Ids and sequences are given by <see cref="EventRecorder"/>; the log keeps them as they are.</summary>
public interface IEventLog
{
    /// <summary>Stores the events in one transaction.</summary>
    Task AppendAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken);

    /// <summary>Events after <see cref="EventQuery.AfterId"/> that match the query, in id order, at most its limit.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>The highest stored id, 0 when none.</summary>
    Task<long> LastIdAsync(CancellationToken cancellationToken);

    /// <summary>The highest stored sequence of a task, 0 when it has none.</summary>
    Task<long> LastSequenceAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Deletes events older than <paramref name="before"/> whose task is gone (pruned with the finished tasks, or
    /// never tracked). Returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
