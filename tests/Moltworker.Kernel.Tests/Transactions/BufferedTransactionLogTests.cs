using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Transactions;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Transactions;

public sealed class BufferedTransactionLogTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(50);
    private readonly FakeTimeProvider _time = new();

    private static TransactionRecord Row(int i) => new() { At = DateTimeOffset.UnixEpoch, Kind = "tool", Name = $"call{i}", Status = "Ok" };

    private BufferedTransactionLog Log(GatedStore store) => new(store, Delay, _time, NullLogger<BufferedTransactionLog>.Instance);

    [Fact]
    public async Task Rows_wait_for_the_write_delay_and_are_then_stored_in_one_batch_in_order()
    {
        var store = new GatedStore();
        store.Open.SetResult();
        await using var log = Log(store);
        for (var i = 0; i < 20; i++) await log.AppendAsync(Row(i), default);
        Assert.Equal(Delay, await _time.WaitForTimerAsync(Delay));
        Assert.Empty(store.Rows);                       // nothing stored before the delay

        _time.Advance(Delay);
        await store.Entered.Task;
        await log.FlushAsync();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"call{i}"), store.Rows.Select(r => r.Name));
        Assert.Single(store.Batches);
    }

    [Fact]
    public async Task Appends_return_while_the_store_is_busy_and_a_read_sees_every_row_appended_before_it()
    {
        var store = new GatedStore();
        await using var log = Log(store);
        await log.AppendAsync(Row(0), default);
        var flushing = log.FlushAsync();
        await store.Entered.Task;                       // a write is stuck in the store with row 0…
        for (var i = 1; i <= 20; i++)
            Assert.True(log.AppendAsync(Row(i), default).IsCompleted);   // …and appends still return at once

        store.Open.SetResult();
        await flushing;
        var rows = await log.QueryAsync(new TransactionQuery(), default);
        Assert.Equal(Enumerable.Range(0, 21).Select(i => $"call{i}"), rows.Select(r => r.Name));
    }

    [Fact]
    public async Task A_full_queue_makes_appends_write_directly_and_no_row_is_lost_or_doubled()
    {
        var store = new GatedStore();
        store.Open.SetResult();
        await using var log = Log(store);                // the fake clock never moves: the loop writes nothing itself
        for (var i = 0; i < BufferedTransactionLog.Capacity - 1; i++) await log.AppendAsync(Row(i), default);

        // One slot left: the first row of the batch is queued, the other two go straight to the store.
        await log.AppendBatchAsync([Row(-1), Row(-2), Row(-3)], default);
        Assert.Equal(["call-2", "call-3"], store.Rows.Select(r => r.Name));

        var rows = await log.QueryAsync(new TransactionQuery(), default);
        Assert.Equal(BufferedTransactionLog.Capacity + 2, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public async Task A_batch_the_store_refuses_is_counted_and_later_rows_are_still_stored()
    {
        var store = new GatedStore { FailNext = true };
        store.Open.SetResult();
        await using var log = Log(store);
        var before = TransactionWriter.Failures;

        await log.AppendAsync(Row(1), default);
        await log.FlushAsync();
        await log.AppendAsync(Row(2), default);
        var rows = await log.QueryAsync(new TransactionQuery(), default);

        Assert.Equal(["call2"], rows.Select(r => r.Name));
        Assert.True(TransactionWriter.Failures >= before + 1);
    }

    [Fact]
    public async Task Disposing_writes_out_what_is_queued_without_waiting_for_the_delay()
    {
        var store = new GatedStore();
        store.Open.SetResult();
        var log = Log(store);
        await log.AppendAsync(Row(0), default);
        await log.AppendAsync(Row(1), default);
        await log.DisposeAsync();                       // the fake clock never moves
        Assert.Equal(["call0", "call1"], store.Rows.Select(r => r.Name));
    }

    /// <summary>A store that holds batches until <see cref="Open"/> completes, and can refuse one batch.</summary>
    private sealed class GatedStore : ITransactionLog
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool FailNext { get; set; }
        public List<IReadOnlyList<TransactionRecord>> Batches { get; } = [];
        public List<TransactionRecord> Rows { get { lock (Batches) return Batches.SelectMany(b => b).ToList(); } }

        public Task AppendAsync(TransactionRecord record, CancellationToken cancellationToken) => AppendBatchAsync([record], cancellationToken);

        public async Task AppendBatchAsync(IReadOnlyList<TransactionRecord> records, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Open.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("disk full");
            }
            lock (Batches) Batches.Add(records.ToList());
        }

        public Task<IReadOnlyList<TransactionRecord>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<TransactionRecord>>(Rows);

        public Task<IReadOnlyList<UsageTotal>> UsageAsync(UsageGrouping grouping, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<UsageTotal>>([]);

        public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
