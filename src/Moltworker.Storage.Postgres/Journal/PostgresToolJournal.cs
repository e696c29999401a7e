using Npgsql;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Leases;

namespace Moltworker.Storage.Postgres.Journal;

/// <summary>The tool-call journal in PostgreSQL: a write is durable once it returns (the server's commit). A result
/// and the progress it counts on its task are written in one transaction.
/// With a <see cref="TaskOwner"/> (the host's), intents and results are fenced: written only while that owner holds an
/// unexpired lease on the running task, judged by the server in the same statement; otherwise
/// <see cref="LeaseLostException"/>, and the call is not dispatched (an intent) or its result is left to the host
/// that took the task over (it finds the call in doubt).</summary>
public sealed class PostgresToolJournal(PostgresDatabase db, TaskOwner? fenceOwner = null) : IToolJournal
{
    private const string Columns = "key, task_id, step, call_id, tool, arguments, side_effects, runs, status, content, attempts, started_at, finished_at";

    public Task RecordIntentAsync(JournalEntry intent, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"""
                INSERT INTO tool_journal (key, task_id, step, call_id, tool, arguments, side_effects, started_at)
                SELECT @k, @task, @step, @call, @tool, @args, @se, @t WHERE @fenced = false OR {LeaseSql.Fence}
                ON CONFLICT (key) DO UPDATE SET runs = tool_journal.runs + 1, started_at = EXCLUDED.started_at
                """, c)
                .With("k", intent.Key).With("task", intent.TaskId).With("step", intent.Step).With("call", intent.CallId)
                .With("tool", intent.Tool).With("args", intent.Arguments).With("se", intent.SideEffects).With("t", intent.StartedAt)
                .With("fenced", fenceOwner is not null).With("owner", fenceOwner?.Id);
            if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0) throw new LeaseLostException(intent.TaskId);
        }, cancellationToken);

    public Task RecordResultAsync(string key, string taskId, ToolResult result, int attempts, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            // Two statements in one round trip; without a transaction of its own, Npgsql runs a batch in an implicit one.
            await using var batch = new NpgsqlBatch(c);
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"UPDATE tool_journal SET status = @s, content = @c, attempts = @a, finished_at = @t WHERE key = @k AND (@fenced = false OR {LeaseSql.Fence})")
                .With("k", key).With("s", result.Status.ToString()).With("c", result.Content).With("a", attempts).With("t", at)
                .With("task", taskId).With("fenced", fenceOwner is not null).With("owner", fenceOwner?.Id));
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"UPDATE tasks SET progress = progress + 1 WHERE id = @task AND (@fenced = false OR {LeaseSql.Fence})")
                .With("task", taskId).With("fenced", fenceOwner is not null).With("owner", fenceOwner?.Id));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            if (fenceOwner is not null && batch.BatchCommands[0].RecordsAffected == 0) throw new LeaseLostException(taskId);
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, JournalEntry>> FindAsync(string taskId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyDictionary<string, JournalEntry>>(async c =>
        {
            var found = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
            if (keys.Count == 0) return found;
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM tool_journal WHERE key = ANY(@keys)", c).With("keys", keys.ToArray());
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken)) { var e = Read(r); found[e.Key] = e; }
            return found;
        }, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> ListAsync(string taskId, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<JournalEntry>>(async c =>
        {
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM tool_journal WHERE task_id = @task ORDER BY step, started_at, key", c).With("task", taskId);
            var list = new List<JournalEntry>();
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
            return list;
        }, cancellationToken);

    public Task ForgetAsync(string key, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("DELETE FROM tool_journal WHERE key = @k AND status IS NULL", c).With("k", key);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static JournalEntry Read(NpgsqlDataReader r) => new()
    {
        Key = r.GetString(0),
        TaskId = r.GetString(1),
        Step = r.GetInt32(2),
        CallId = r.GetString(3),
        Tool = r.GetString(4),
        Arguments = r.GetString(5),
        SideEffects = r.GetBoolean(6),
        Runs = r.GetInt32(7),
        Status = r.IsDBNull(8) ? null : Enum.Parse<ToolStatus>(r.GetString(8)),
        Content = r.GetStringOrNull(9),
        Attempts = r.IsDBNull(10) ? 0 : r.GetInt32(10),
        StartedAt = r.GetTime(11),
        FinishedAt = r.GetTimeOrNull(12),
    };
}
