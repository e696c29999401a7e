using Moltworker.Kernel.Transactions;

namespace Moltworker.Knowledge.Tests.Support;

/// <summary>A transaction log that keeps appended rows in memory.</summary>
public sealed class RecordingTransactionLog : ITransactionLog
{
    private readonly List<TransactionRecord> _records = [];

    public IReadOnlyList<TransactionRecord> Records { get { lock (_records) return _records.ToList(); } }

    public Task AppendAsync(TransactionRecord record, CancellationToken cancellationToken)
    {
        lock (_records) _records.Add(record);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TransactionRecord>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TransactionRecord>>(Records.Reverse().ToList());

    public Task<IReadOnlyList<UsageTotal>> UsageAsync(UsageGrouping grouping, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(0);
}
