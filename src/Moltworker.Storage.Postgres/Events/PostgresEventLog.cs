using Npgsql;
using Moltworker.Kernel.Events;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Events;

/// <summary>
/// The event log in the shared database. Several hosts append to it, so the ids the recorder gave (one counter per
/// process) are not kept: each append takes a transaction-scoped advisory lock and numbers its events from the
/// table's identity, so ids grow in commit order across hosts and a reader that saw id N never later finds a
/// committed event at or below N. The commit notifies <see cref="PostgresEventChannel.Name"/> with the last new id
/// (delivered only if the transaction commits), which <c>PostgresEventWatch</c> listens for. On one host the
/// ids equal the recorder's (it numbers from the highest stored id, as the table does).
/// </summary>
public sealed class PostgresEventLog(PostgresDatabase db) : IEventLog
{
    /// <summary>The advisory lock appends hold until they commit ("mwevents" in ASCII).</summary>
    private const long AppendLock = 0x6d776576656e7473;

    internal const string Columns = "id, seq, name, at, task_id, thread_id, agent, channel, chat_id, batch_id, call_id, data";

    public Task AppendAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return Task.CompletedTask;
        return db.InTransactionAsync(async (c, tx) =>
        {
            await using var batch = new NpgsqlBatch(c, tx);
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AppendLock})"));
            foreach (var e in events)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("""
                    INSERT INTO events (seq, name, at, task_id, thread_id, agent, channel, chat_id, batch_id, call_id, data)
                    VALUES (@seq, @name, @at, @task, @thread, @agent, @channel, @chat, @batch, @call, @data)
                    """)
                    .With("seq", e.Seq).With("name", e.Name).With("at", e.At).With("task", e.TaskId).With("thread", e.ThreadId)
                    .With("agent", e.Agent).With("channel", e.Channel).With("chat", e.ChatId).With("batch", e.BatchId)
                    .With("call", e.CallId).With("data", e.Data));
            }
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                $"SELECT pg_notify('{PostgresEventChannel.Name}', currval(pg_get_serial_sequence('events', 'id'))::text)"));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken) =>
        db.RunAsync(c => ReadAsync(c, query, cancellationToken), cancellationToken);

    /// <summary>The query on an open connection (the watch reads on its own listening connection).</summary>
    internal static async Task<IReadOnlyList<StoredEvent>> ReadAsync(NpgsqlConnection c, EventQuery query, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT {Columns} FROM events
            WHERE id > @after AND (@task IS NULL OR task_id = @task) AND (@chat IS NULL OR chat_id = @chat) AND (@channel IS NULL OR channel = @channel)
            ORDER BY id LIMIT @n
            """, c)
            .With("after", query.AfterId).With("task", query.TaskId).With("chat", query.ChatId).With("channel", query.Channel)
            .With("n", Math.Max(1, query.Limit));
        var list = new List<StoredEvent>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
        return list;
    }

    public Task<long> LastIdAsync(CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("SELECT COALESCE(max(id), 0) FROM events", c);
            return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public Task<long> LastSequenceAsync(string taskId, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("SELECT COALESCE(max(seq), 0) FROM events WHERE task_id = @task", c).With("task", taskId);
            return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                "DELETE FROM events e WHERE e.at < @before AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.task_id)", c).With("before", before);
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static StoredEvent Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        Seq = r.GetInt64(1),
        Name = r.GetString(2),
        At = r.GetTime(3),
        TaskId = r.GetString(4),
        ThreadId = r.GetString(5),
        Agent = r.GetStringOrNull(6),
        Channel = r.GetString(7),
        ChatId = r.GetString(8),
        BatchId = r.GetStringOrNull(9),
        CallId = r.GetStringOrNull(10),
        Data = r.GetString(11),
    };
}
