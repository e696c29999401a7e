using Npgsql;
using Moltworker.Kernel.Transactions;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Journal;

/// <summary>The transaction log (and the usage totals read from it) in PostgreSQL. Usage per chat joins model calls to
/// their task's chat.</summary>
public sealed class PostgresTransactionLog(PostgresDatabase db) : ITransactionLog
{
    public Task AppendAsync(TransactionRecord record, CancellationToken cancellationToken) => AppendBatchAsync([record], cancellationToken);

    /// <summary>All rows in one round trip and one (implicit) transaction.</summary>
    public Task AppendBatchAsync(IReadOnlyList<TransactionRecord> records, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            if (records.Count == 0) return;
            await using var batch = new NpgsqlBatch(c);
            foreach (var record in records)
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                    INSERT INTO transactions (at, kind, task_id, chat, name, arguments, summary, status, attempt, latency_ms, input_tokens, output_tokens, cost, cached)
                    VALUES (@at, @kind, @task, @chat, @name, @args, @sum, @status, @attempt, @lat, @in, @out, @cost, @cached)
                    """)
                    .With("at", record.At).With("kind", record.Kind).With("task", record.TaskId).With("chat", record.Chat).With("name", record.Name)
                    .With("args", record.Arguments).With("sum", record.Summary).With("status", record.Status).With("attempt", record.Attempt)
                    .With("lat", record.LatencyMs).With("in", record.InputTokens).With("out", record.OutputTokens).With("cost", record.Cost)
                    .With("cached", record.Cached));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<TransactionRecord>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<TransactionRecord>>(async c =>
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT x.id, x.at, x.kind, x.task_id, COALESCE(x.chat, t.channel || ':' || t.chat_id), x.name, x.arguments, x.summary, x.status,
                       x.attempt, x.latency_ms, x.input_tokens, x.output_tokens, x.cost, x.cached
                FROM transactions x LEFT JOIN tasks t ON t.id = x.task_id
                WHERE (@task IS NULL OR x.task_id = @task) AND (@name IS NULL OR x.name = @name) AND (@kind IS NULL OR x.kind = @kind)
                  AND (@status IS NULL OR lower(x.status) = lower(@status)) AND (@since IS NULL OR x.at >= @since) AND (@until IS NULL OR x.at < @until)
                ORDER BY x.id DESC LIMIT @n
                """, c)
                .With("task", query.TaskId).With("name", query.Name).With("kind", query.Kind).With("status", query.Status)
                .With("since", query.Since).With("until", query.Until).With("n", Math.Max(1, query.Limit));
            var list = new List<TransactionRecord>();
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
            return list;
        }, cancellationToken);

    public Task<IReadOnlyList<UsageTotal>> UsageAsync(UsageGrouping grouping, DateTimeOffset? since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<UsageTotal>>(async c =>
        {
            var key = grouping switch
            {
                UsageGrouping.Task => "COALESCE(x.task_id, '(none)')",
                UsageGrouping.Chat => "COALESCE(x.chat, t.channel || ':' || t.chat_id, '(none)')",
                _ => "x.name",
            };
            await using var cmd = new NpgsqlCommand($"""
                SELECT {key} AS k, count(*), COALESCE(sum(x.input_tokens), 0)::bigint, COALESCE(sum(x.output_tokens), 0)::bigint, COALESCE(sum(x.cost), 0)
                FROM transactions x LEFT JOIN tasks t ON t.id = x.task_id
                WHERE x.kind = 'model' AND (@since IS NULL OR x.at >= @since) AND (@until IS NULL OR x.at < @until)
                GROUP BY 1 ORDER BY 5 DESC, 3 DESC, {key} COLLATE "C"
                """, c).With("since", since).With("until", until);
            var list = new List<UsageTotal>();
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
                list.Add(new UsageTotal(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetDecimal(4)));
            return list;
        }, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("DELETE FROM transactions WHERE at < @before", c).With("before", before);
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static TransactionRecord Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        At = r.GetTime(1),
        Kind = r.GetString(2),
        TaskId = r.GetStringOrNull(3),
        Chat = r.GetStringOrNull(4),
        Name = r.GetString(5),
        Arguments = r.GetStringOrNull(6),
        Summary = r.GetStringOrNull(7),
        Status = r.GetString(8),
        Attempt = r.GetInt32(9),
        LatencyMs = r.GetDouble(10),
        InputTokens = r.IsDBNull(11) ? null : r.GetInt64(11),
        OutputTokens = r.IsDBNull(12) ? null : r.GetInt64(12),
        Cost = r.IsDBNull(13) ? null : r.GetDecimal(13),
        Cached = r.GetBoolean(14),
    };
}
