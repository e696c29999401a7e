using System.Globalization;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Journal;

/// <summary>Durable tasks in SQLite. Progress (checkpoints and journaled results) is counted on the row, so a claim can
/// tell a task that died again without progress from one that moved on.</summary>
public sealed class SqliteTaskStore(SqliteDatabase db, TimeProvider time, JournalWriteGate gate) : ITaskStore
{
    private const string Columns = "id, channel, chat_id, user_id, agent, phase, step, status, auto_resume_count, last_error, final_text, deaths, created_at, updated_at";

    public Task CreateAsync(DurableTask task, string owner, StoredCheckpoint checkpoint, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                INSERT INTO tasks (id, channel, chat_id, user_id, agent, phase, step, status, owner, checkpoint_version, checkpoint, created_at, updated_at)
                VALUES ($id, $ch, $chat, $user, $agent, $phase, $step, $status, $owner, $v, $cp, $t, $t)
                """;
            cmd.Parameters.AddWithValue("$id", task.Id);
            cmd.Parameters.AddWithValue("$ch", task.Address.Channel);
            cmd.Parameters.AddWithValue("$chat", task.Address.ChatId);
            cmd.Parameters.AddWithValue("$user", (object?)task.Address.UserId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$agent", task.Agent);
            cmd.Parameters.AddWithValue("$phase", checkpoint.Phase);
            cmd.Parameters.AddWithValue("$step", checkpoint.Step);
            cmd.Parameters.AddWithValue("$status", task.Status.ToString());
            cmd.Parameters.AddWithValue("$owner", owner);
            cmd.Parameters.AddWithValue("$v", checkpoint.SchemaVersion);
            cmd.Parameters.AddWithValue("$cp", checkpoint.Payload);
            cmd.Parameters.AddWithValue("$t", Now());
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<DurableTask?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM tasks WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            return await r.ReadAsync(cancellationToken) ? Read(r) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<DurableTask>> ListAsync(DurableTaskStatus? status, int limit, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<DurableTask>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM tasks WHERE ($s IS NULL OR status = $s) ORDER BY created_at DESC, id DESC LIMIT $n";
            cmd.Parameters.AddWithValue("$s", (object?)status?.ToString() ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$n", Math.Max(1, limit));
            return await ReadAll(cmd, cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<DurableTask>> ListAsync(TaskListQuery query, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<DurableTask>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                SELECT {Columns} FROM tasks
                WHERE ($s IS NULL OR status = $s) AND ($chat IS NULL OR chat_id = $chat) AND ($channel IS NULL OR channel = $channel)
                ORDER BY created_at DESC, id DESC LIMIT $n OFFSET $skip
                """;
            cmd.Parameters.AddWithValue("$s", (object?)query.Status?.ToString() ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$chat", (object?)query.ChatId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$channel", (object?)query.Channel ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$n", Math.Max(1, query.Limit));
            cmd.Parameters.AddWithValue("$skip", Math.Max(0, query.Offset));
            return await ReadAll(cmd, cancellationToken);
        }, cancellationToken);

    public Task SaveCheckpointAsync(string id, StoredCheckpoint checkpoint, CancellationToken cancellationToken) =>
        Exec("""
            UPDATE tasks SET checkpoint_version = $v, checkpoint = $cp, phase = $phase, step = $step, progress = progress + 1, updated_at = $t
            WHERE id = $id
            """, cancellationToken, ("$id", id), ("$v", checkpoint.SchemaVersion), ("$cp", checkpoint.Payload), ("$phase", checkpoint.Phase), ("$step", checkpoint.Step));

    public Task<StoredCheckpoint?> LoadCheckpointAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT checkpoint_version, checkpoint, phase, step FROM tasks WHERE id = $id AND checkpoint IS NOT NULL";
            cmd.Parameters.AddWithValue("$id", id);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            return await r.ReadAsync(cancellationToken) ? new StoredCheckpoint(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetInt32(3)) : null;
        }, cancellationToken);

    public Task SetStatusAsync(string id, DurableTaskStatus status, string? error, string? finalText, CancellationToken cancellationToken) =>
        Exec("""
            UPDATE tasks SET status = $s, last_error = COALESCE($e, last_error), final_text = COALESCE($f, final_text), updated_at = $t WHERE id = $id
            """, cancellationToken, ("$id", id), ("$s", status.ToString()), ("$e", error), ("$f", finalText));

    public Task<int> RecordAutoResumeAsync(string id, string error, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE tasks SET auto_resume_count = auto_resume_count + 1, last_error = $e, updated_at = $t WHERE id = $id RETURNING auto_resume_count";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$e", error);
            cmd.Parameters.AddWithValue("$t", Now());
            return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken) ?? 0, CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task<IReadOnlyList<DurableTask>> ClaimOrphansAsync(string owner, CancellationToken cancellationToken) =>
        gate.WriteAsync<IReadOnlyList<DurableTask>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                UPDATE tasks SET owner = $o,
                    deaths = CASE WHEN death_mark = progress THEN deaths + 1 ELSE 1 END,
                    death_mark = progress, updated_at = $t
                WHERE status = 'Running' AND (owner IS NULL OR owner <> $o)
                RETURNING {Columns}
                """;
            cmd.Parameters.AddWithValue("$o", owner);
            cmd.Parameters.AddWithValue("$t", Now());
            return await ReadAll(cmd, cancellationToken);
        }, cancellationToken);

    public Task<DurableTask?> ClaimAsync(string id, string owner, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                UPDATE tasks SET owner = $o,
                    deaths = CASE WHEN death_mark = progress THEN deaths + 1 ELSE 1 END,
                    death_mark = progress, updated_at = $t
                WHERE id = $id AND status = 'Running' AND (owner IS NULL OR owner <> $o)
                RETURNING {Columns}
                """;
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$o", owner);
            cmd.Parameters.AddWithValue("$t", Now());
            return (await ReadAll(cmd, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    public Task ReleaseAsync(string id, CancellationToken cancellationToken) =>
        Exec("UPDATE tasks SET status = 'Running', owner = NULL, deaths = 0, death_mark = NULL, updated_at = $t WHERE id = $id AND status IN ('Paused', 'AwaitingApproval')",
            cancellationToken, ("$id", id));

    public Task<TaskStats> StatsAsync(CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                SELECT COALESCE(SUM(status = 'Running'), 0), COALESCE(SUM(status IN ('Paused', 'AwaitingApproval')), 0), COALESCE(SUM(status = 'Completed'), 0),
                       COALESCE(SUM(status = 'Failed'), 0), COALESCE(SUM(auto_resume_count), 0), COALESCE(SUM(auto_resume_count > 0), 0)
                FROM tasks
                """;
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            await r.ReadAsync(cancellationToken);
            return new TaskStats(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt64(4), r.GetInt32(5));
        }, cancellationToken);

    public Task<int> PruneFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                CREATE TEMP TABLE IF NOT EXISTS pruned_tasks (id TEXT PRIMARY KEY);
                DELETE FROM pruned_tasks;
                INSERT INTO pruned_tasks SELECT id FROM tasks WHERE status IN ('Completed', 'Failed') AND updated_at < $before;
                DELETE FROM tool_journal WHERE task_id IN (SELECT id FROM pruned_tasks);
                DELETE FROM tasks WHERE id IN (SELECT id FROM pruned_tasks);
                SELECT count(*) FROM pruned_tasks;
                """;
            cmd.Parameters.AddWithValue("$before", before.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            var count = Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken) ?? 0, CultureInfo.InvariantCulture);
            await tx.CommitAsync(cancellationToken);
            return count;
        }, cancellationToken);

    private Task Exec(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$t", Now());
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task<IReadOnlyList<DurableTask>> ReadAll(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<DurableTask>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
        return list;
    }

    private static DurableTask Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Address = new ChatAddress(r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)),
        Agent = r.GetString(4),
        Phase = r.GetString(5),
        Step = r.GetInt32(6),
        Status = Enum.Parse<DurableTaskStatus>(r.GetString(7)),
        AutoResumeCount = r.GetInt32(8),
        LastError = r.IsDBNull(9) ? null : r.GetString(9),
        FinalText = r.IsDBNull(10) ? null : r.GetString(10),
        Deaths = r.GetInt32(11),
        CreatedAt = DateTimeOffset.Parse(r.GetString(12), CultureInfo.InvariantCulture),
        UpdatedAt = DateTimeOffset.Parse(r.GetString(13), CultureInfo.InvariantCulture),
    };

    private string Now() => time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
}
