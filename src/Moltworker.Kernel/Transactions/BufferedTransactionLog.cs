using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Moltworker.Kernel.Transactions;

/// <summary>
/// Takes transaction rows off the turn's path: <see cref="AppendAsync"/> queues the row and returns; a writer loop
/// waits <see cref="TransactionsOptions.WriteDelay"/> after the first queued row and stores everything queued by then
/// in one batch (one SQLite transaction instead of three commits per turn). Waking the writer for every row instead
/// made turns slower on 2 cores: the wake-ups and the shared write gate cost more than the commits saved. Reads
/// (<see cref="QueryAsync"/>, usage, pruning) first write out what is queued, so a reader in this process sees every
/// row appended before it. A crash loses the rows still queued (at most the write delay's worth), never a result:
/// results are in the tool journal. When the queue is full, appends write directly (backpressure, nothing dropped).
/// A batch the store refuses (disk full, locked) is counted in <see cref="TransactionWriter.Failures"/> and logged once
/// per failure streak; calls never fail because of it.
/// </summary>
public sealed partial class BufferedTransactionLog : ITransactionLog, IAsyncDisposable, IDisposable
{
    public const int Capacity = 10_000;
    private const int MaxBatch = 512;

    private readonly ITransactionLog _store;
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<TransactionRecord> _queue = Channel.CreateBounded<TransactionRecord>(
        new BoundedChannelOptions(Capacity) { SingleReader = false, SingleWriter = false, FullMode = BoundedChannelFullMode.Wait });
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Task _loop;
    private readonly CancellationTokenSource _closing = new();
    private bool _failing;

    public BufferedTransactionLog(ITransactionLog store, TimeSpan writeDelay, TimeProvider time, ILogger<BufferedTransactionLog> logger)
    {
        _store = store;
        _delay = writeDelay;
        _time = time;
        _logger = logger;
        _loop = Task.Run(WriteLoopAsync);
    }

    public Task AppendAsync(TransactionRecord record, CancellationToken cancellationToken) =>
        _queue.Writer.TryWrite(record) ? Task.CompletedTask : _store.AppendAsync(record, cancellationToken);

    public Task AppendBatchAsync(IReadOnlyList<TransactionRecord> records, CancellationToken cancellationToken)
    {
        for (var i = 0; i < records.Count; i++)
            if (!_queue.Writer.TryWrite(records[i])) return _store.AppendBatchAsync(records.Skip(i).ToList(), cancellationToken);   // the rest, directly
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<TransactionRecord>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return await _store.QueryAsync(query, cancellationToken);
    }

    public async Task<IReadOnlyList<UsageTotal>> UsageAsync(UsageGrouping grouping, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return await _store.UsageAsync(grouping, since, until, cancellationToken);
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return await _store.PruneAsync(before, cancellationToken);
    }

    /// <summary>Writes every queued row, and waits for a batch the loop is writing.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken);
        try { while (await WriteQueuedAsync()) { } }
        finally { _writing.Release(); }
    }

    /// <summary>Writes out what is queued; appends after this go straight to the store.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _closing.CancelAsync();
        await _loop;
        await FlushAsync();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoopAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            if (_delay > TimeSpan.Zero && !_queue.Reader.Completion.IsCompleted)
            {
                try { await Task.Delay(_delay, _time, _closing.Token); }
                catch (OperationCanceledException) { }   // closing: write out now
            }
            await _writing.WaitAsync();
            try { while (await WriteQueuedAsync()) { } }
            finally { _writing.Release(); }
        }
    }

    /// <summary>One batch of what is queued now; false when nothing was. Callers hold <see cref="_writing"/>.</summary>
    private async Task<bool> WriteQueuedAsync()
    {
        var batch = new List<TransactionRecord>();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var record)) batch.Add(record);
        if (batch.Count == 0) return false;
        try
        {
            await _store.AppendBatchAsync(batch, CancellationToken.None);
            if (_failing) LogRecovered();
            _failing = false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TransactionWriter.CountFailure(batch.Count);
            if (!_failing) LogFailed(ex, batch.Count);
            _failing = true;
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} transaction log rows could not be stored; calls go on, and the count is in /healthz")]
    private partial void LogFailed(Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "The transaction log is stored again")]
    private partial void LogRecovered();
}
