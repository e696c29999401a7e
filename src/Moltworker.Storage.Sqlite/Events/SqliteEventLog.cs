using System.Globalization;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Events;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Journal;

namespace Moltworker.Storage.Sqlite.Events;

/// <summary>The event log in SQLite. Writes share the journal's write gate (one writer at a time without SQLite's busy
/// sleeps); a batch is one transaction with one prepared statement. An id stored twice (a batch written again after a
/// failure that had in fact committed) is ignored.</summary>
public sealed class SqliteEventLog(SqliteDatabase db, JournalWriteGate gate) : IEventLog
{
    private const string Columns = "id, seq, name, at, task_id, thread_id, agent, channel, chat_id, batch_id, call_id, data";

    public Task AppendAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"""
                INSERT OR IGNORE INTO events ({Columns})
                VALUES ($id, $seq, $name, $at, $task, $thread, $agent, $channel, $chat, $batch, $call, $data)
                """;
            var p = new[] { "$id", "$seq", "$name", "$at", "$task", "$thread", "$agent", "$channel", "$chat", "$batch", "$call", "$data" }
                .Select(name => cmd.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            cmd.Prepare();
            foreach (var e in events)
            {
                p[0].Value = e.Id;
                p[1].Value = e.Seq;
                p[2].Value = e.Name;
                p[3].Value = Iso(e.At);
                p[4].Value = e.TaskId;
                p[5].Value = e.ThreadId;
                p[6].Value = (object?)e.Agent ?? DBNull.Value;
                p[7].Value = e.Channel;
                p[8].Value = e.ChatId;
                p[9].Value = (object?)e.BatchId ?? DBNull.Value;
                p[10].Value = (object?)e.CallId ?? DBNull.Value;
                p[11].Value = e.Data;
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<StoredEvent>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                SELECT {Columns} FROM events
                WHERE id > $after AND ($task IS NULL OR task_id = $task) AND ($chat IS NULL OR chat_id = $chat) AND ($channel IS NULL OR channel = $channel)
                ORDER BY id LIMIT $n
                """;
            cmd.Parameters.AddWithValue("$after", query.AfterId);
            cmd.Parameters.AddWithValue("$task", (object?)query.TaskId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$chat", (object?)query.ChatId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$channel", (object?)query.Channel ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$n", Math.Max(1, query.Limit));
            var list = new List<StoredEvent>();
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
            return list;
        }, cancellationToken);

    public Task<long> LastIdAsync(CancellationToken cancellationToken) => ScalarAsync("SELECT COALESCE(MAX(id), 0) FROM events", null, cancellationToken);

    public Task<long> LastSequenceAsync(string taskId, CancellationToken cancellationToken) =>
        ScalarAsync("SELECT COALESCE(MAX(seq), 0) FROM events WHERE task_id = $task", taskId, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM events WHERE at < $before AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = events.task_id)";
            cmd.Parameters.AddWithValue("$before", Iso(before));
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private Task<long> ScalarAsync(string sql, string? taskId, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            if (taskId is not null) cmd.Parameters.AddWithValue("$task", taskId);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }, cancellationToken);

    private static StoredEvent Read(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Seq = r.GetInt64(1),
        Name = r.GetString(2),
        At = DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        TaskId = r.GetString(4),
        ThreadId = r.GetString(5),
        Agent = r.IsDBNull(6) ? null : r.GetString(6),
        Channel = r.GetString(7),
        ChatId = r.GetString(8),
        BatchId = r.IsDBNull(9) ? null : r.GetString(9),
        CallId = r.IsDBNull(10) ? null : r.GetString(10),
        Data = r.GetString(11),
    };

    /// <summary>UTC, fixed width: string order is time order.</summary>
    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
