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
            batch.BatchCommands.Add(Insert(events));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                $"SELECT pg_notify('{PostgresEventChannel.Name}', currval(pg_get_serial_sequence('events', 'id'))::text)"));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>The events as one statement, a column of each as an array, inserted in their order (ids are given as
    /// rows are inserted): one statement for a batch instead of one per event, less work for the server and the host.</summary>
    private static NpgsqlBatchCommand Insert(IReadOnlyList<StoredEvent> events) =>
        new NpgsqlBatchCommand("""
            INSERT INTO events (seq, name, at, task_id, thread_id, agent, channel, chat_id, batch_id, call_id, data)
            SELECT seq, name, at, task_id, thread_id, agent, channel, chat_id, batch_id, call_id, data
            FROM unnest(@seq, @name, @at, @task, @thread, @agent, @channel, @chat, @batch, @call, @data) WITH ORDINALITY
                AS e(seq, name, at, task_id, thread_id, agent, channel, chat_id, batch_id, call_id, data, n)
            ORDER BY n
            """)
            .With("seq", Column(events, e => e.Seq)).With("name", Column(events, e => e.Name)).With("at", Column(events, e => e.At))
            .With("task", Column(events, e => e.TaskId)).With("thread", Column(events, e => e.ThreadId)).With("agent", Column(events, e => e.Agent))
            .With("channel", Column(events, e => e.Channel)).With("chat", Column(events, e => e.ChatId)).With("batch", Column(events, e => e.BatchId))
            .With("call", Column(events, e => e.CallId)).With("data", Column(events, e => e.Data));

    private static T[] Column<T>(IReadOnlyList<StoredEvent> events, Func<StoredEvent, T> field)
    {
        var column = new T[events.Count];
        for (var i = 0; i < column.Length; i++) column[i] = field(events[i]);
        return column;
    }

    public Task<IReadOnlyList<StoredEvent>> ReadAsync(EventQuery query, CancellationToken cancellationToken) =>
        db.RunAsync(c => ReadAsync(c, query, cancellationToken), cancellationToken);

    /// <summary>The query on an open connection (the watch reads on its own listening connection).</summary>
    internal static async Task<IReadOnlyList<StoredEvent>> ReadAsync(NpgsqlConnection c, EventQuery query, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(Sql(query), c).With("after", query.AfterId).With("n", Math.Max(1, query.Limit));
        if (query.TaskId is { } task) cmd.With("task", task);
        if (query.ChatId is { } chat) cmd.With("chat", chat);
        if (query.Channel is { } channel) cmd.With("channel", channel);
        var list = new List<StoredEvent>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
        return list;
    }

    /// <summary>The statement for the filters <paramref name="query"/> sets, with no condition for those it leaves out.
    /// One statement for all, with <c>(@task IS NULL OR task_id = @task)</c> and the like, got a cached plan (prepared
    /// statements are planned once for any parameters) that could use no index and scanned the whole table: the watch's
    /// read at every append took up to 30 ms of the database's time after 2,500 turns on a new database.</summary>
    private static string Sql(EventQuery query) =>
        Statements[(query.TaskId is null ? 0 : 1) | (query.ChatId is null ? 0 : 2) | (query.Channel is null ? 0 : 4)];

    private static readonly string[] Statements = [.. Enumerable.Range(0, 8).Select(filters =>
        $"SELECT {Columns} FROM events WHERE id > @after"
        + ((filters & 1) != 0 ? " AND task_id = @task" : "")
        + ((filters & 2) != 0 ? " AND chat_id = @chat" : "")
        + ((filters & 4) != 0 ? " AND channel = @channel" : "")
        + " ORDER BY id LIMIT @n")];

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
