namespace Moltworker.Kernel.Transactions;

/// <summary>The log of every model and tool call, with usage and cost. Writing never fails a call.</summary>
public interface ITransactionLog
{
    Task AppendAsync(TransactionRecord record, CancellationToken cancellationToken);

    /// <summary>Appends several rows, in order; a store may write them in one transaction.</summary>
    async Task AppendBatchAsync(IReadOnlyList<TransactionRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records) await AppendAsync(record, cancellationToken);
    }

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<TransactionRecord>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<UsageTotal>> UsageAsync(UsageGrouping grouping, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken);

    /// <summary>Deletes entries older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
