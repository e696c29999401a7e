using System.Globalization;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Transactions;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Journal;

/// <summary>The transaction log in SQLite. Usage per chat joins model calls to their task's chat.</summary>
public sealed class SqliteTransactionLog(SqliteDatabase db, JournalWriteGate gate) : ITransactionLog
{
    public Task AppendAsync(TransactionRecord record, CancellationToken cancellationToken) => AppendBatchAsync([record], cancellationToken);

    /// <summary>All rows in one transaction, with one prepared statement.</summary>
    public Task AppendBatchAsync(IReadOnlyList<TransactionRecord> records, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO transactions (at, kind, task_id, chat, name, arguments, summary, status, attempt, latency_ms, input_tokens, output_tokens, cost, cached)
                VALUES ($at, $kind, $task, $chat, $name, $args, $sum, $status, $attempt, $lat, $in, $out, $cost, $cached)
                """;
            foreach (var record in records)
            {
                cmd.Parameters.Clear();
                cmd.Parameters.AddWithValue("$at", Iso(record.At));
                cmd.Parameters.AddWithValue("$kind", record.Kind);
                cmd.Parameters.AddWithValue("$task", (object?)record.TaskId ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$chat", (object?)record.Chat ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$name", record.Name);
                cmd.Parameters.AddWithValue("$args", (object?)record.Arguments ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$sum", (object?)record.Summary ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$status", record.Status);
                cmd.Parameters.AddWithValue("$attempt", record.Attempt);
                cmd.Parameters.AddWithValue("$lat", record.LatencyMs);
                cmd.Parameters.AddWithValue("$in", (object?)record.InputTokens ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$out", (object?)record.OutputTokens ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$cost", record.Cost is { } cost ? (double)cost : DBNull.Value);
                cmd.Parameters.AddWithValue("$cached", record.Cached ? 1 : 0);
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<TransactionRecord>> QueryAsync(TransactionQuery query, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<TransactionRecord>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT x.id, x.at, x.kind, x.task_id, COALESCE(x.chat, t.channel || ':' || t.chat_id), x.name, x.arguments, x.summary, x.status,
                       x.attempt, x.latency_ms, x.input_tokens, x.output_tokens, x.cost, x.cached
                FROM transactions x LEFT JOIN tasks t ON t.id = x.task_id
                WHERE ($task IS NULL OR x.task_id = $task) AND ($name IS NULL OR x.name = $name) AND ($kind IS NULL OR x.kind = $kind)
                  AND ($status IS NULL OR x.status = $status COLLATE NOCASE) AND ($since IS NULL OR x.at >= $since) AND ($until IS NULL OR x.at < $until)
                ORDER BY x.id DESC LIMIT $n
                """;
            cmd.Parameters.AddWithValue("$task", (object?)query.TaskId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$name", (object?)query.Name ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$kind", (object?)query.Kind ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$status", (object?)query.Status ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$since", query.Since is { } s ? Iso(s) : DBNull.Value);
            cmd.Parameters.AddWithValue("$until", query.Until is { } u ? Iso(u) : DBNull.Value);
            cmd.Parameters.AddWithValue("$n", Math.Max(1, query.Limit));
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
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                SELECT {key} AS k, COUNT(*), COALESCE(SUM(x.input_tokens), 0), COALESCE(SUM(x.output_tokens), 0), COALESCE(SUM(x.cost), 0)
                FROM transactions x LEFT JOIN tasks t ON t.id = x.task_id
                WHERE x.kind = 'model' AND ($since IS NULL OR x.at >= $since) AND ($until IS NULL OR x.at < $until)
                GROUP BY k ORDER BY 5 DESC, 3 DESC, k
                """;
            cmd.Parameters.AddWithValue("$since", since is { } s ? Iso(s) : DBNull.Value);
            cmd.Parameters.AddWithValue("$until", until is { } u ? Iso(u) : DBNull.Value);
            var list = new List<UsageTotal>();
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
                list.Add(new UsageTotal(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), (decimal)r.GetDouble(4)));
            return list;
        }, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM transactions WHERE at < $before";
            cmd.Parameters.AddWithValue("$before", Iso(before));
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static TransactionRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        At = DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture),
        Kind = r.GetString(2),
        TaskId = r.IsDBNull(3) ? null : r.GetString(3),
        Chat = r.IsDBNull(4) ? null : r.GetString(4),
        Name = r.GetString(5),
        Arguments = r.IsDBNull(6) ? null : r.GetString(6),
        Summary = r.IsDBNull(7) ? null : r.GetString(7),
        Status = r.GetString(8),
        Attempt = r.GetInt32(9),
        LatencyMs = r.GetDouble(10),
        InputTokens = r.IsDBNull(11) ? null : r.GetInt64(11),
        OutputTokens = r.IsDBNull(12) ? null : r.GetInt64(12),
        Cost = r.IsDBNull(13) ? null : (decimal)r.GetDouble(13),
        Cached = r.GetInt64(14) != 0,
    };

    /// <summary>UTC, fixed width: string order is time order.</summary>
    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
