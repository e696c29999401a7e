using System.Globalization;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Journal;

/// <summary>The threads of durable tasks in SQLite (<c>task_threads</c>), written through the journal's write gate like
/// the task rows. <c>seq</c> keeps the order rows were first written in, whatever their clock says.</summary>
public sealed class SqliteTaskThreadStore(SqliteDatabase db, JournalWriteGate gate) : ITaskThreadStore
{
    private const string Columns = "id, task_id, parent_id, tool_call_id, agent, model, status, answer, error, input_tokens, output_tokens, started_at, ended_at";

    /// <summary>The next row's <c>seq</c>: one more than the largest rowid, which is the rowid SQLite gives the new row, so
    /// <c>seq</c> and rowid stay equal. A look-up at the end of the table's b-tree: <c>MAX(seq)</c> read the whole table,
    /// once per write, and grew with it.</summary>
    private const string NextSeq = "(SELECT COALESCE(MAX(rowid), 0) + 1 FROM task_threads)";

    public Task<TaskThread?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c => (await ReadAsync(c, "id = $id", id, cancellationToken)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<TaskThread>> ListAsync(string taskId, CancellationToken cancellationToken) =>
        db.RunAsync(c => ReadAsync(c, "task_id = $id", taskId, cancellationToken), cancellationToken);

    public Task SaveCheckpointAsync(TaskThread thread, StoredCheckpoint checkpoint, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                INSERT INTO task_threads (id, task_id, parent_id, tool_call_id, agent, model, status, answer, error, input_tokens, output_tokens,
                                          checkpoint_version, checkpoint, started_at, ended_at, seq)
                VALUES ($id, $task, $parent, $call, $agent, $model, $status, $answer, $error, $in, $out, $v, $cp, $started, $ended, {NextSeq})
                ON CONFLICT (id) DO UPDATE SET checkpoint_version = excluded.checkpoint_version, checkpoint = excluded.checkpoint,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens
                """;
            Bind(cmd, thread with { Status = TaskThreadStatus.Running, Answer = null, Error = null, EndedAt = null });
            cmd.Parameters.AddWithValue("$v", checkpoint.SchemaVersion);
            cmd.Parameters.AddWithValue("$cp", checkpoint.Payload);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<StoredCheckpoint?> LoadCheckpointAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT checkpoint_version, checkpoint FROM task_threads WHERE id = $id AND checkpoint IS NOT NULL";
            cmd.Parameters.AddWithValue("$id", id);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            if (!await r.ReadAsync(cancellationToken)) return null;
            return new StoredCheckpoint(r.GetInt32(0), r.GetString(1), "", 0);
        }, cancellationToken);

    public Task RecordAsync(TaskThread thread, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                INSERT INTO task_threads (id, task_id, parent_id, tool_call_id, agent, model, status, answer, error, input_tokens, output_tokens,
                                          started_at, ended_at, seq)
                VALUES ($id, $task, $parent, $call, $agent, $model, $status, $answer, $error, $in, $out, $started, $ended, {NextSeq})
                ON CONFLICT (id) DO UPDATE SET model = excluded.model, status = excluded.status, answer = excluded.answer, error = excluded.error,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, ended_at = excluded.ended_at
                """;
            Bind(cmd, thread);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM task_threads WHERE started_at < $before AND task_id NOT IN (SELECT id FROM tasks)";
            cmd.Parameters.AddWithValue("$before", Time(before));
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static void Bind(SqliteCommand cmd, TaskThread thread)
    {
        cmd.Parameters.AddWithValue("$id", thread.Id);
        cmd.Parameters.AddWithValue("$task", thread.TaskId);
        cmd.Parameters.AddWithValue("$parent", (object?)thread.ParentId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$call", (object?)thread.ToolCallId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$agent", thread.Agent);
        cmd.Parameters.AddWithValue("$model", (object?)thread.Model ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$status", thread.Status.ToString());
        cmd.Parameters.AddWithValue("$answer", (object?)thread.Answer ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$error", (object?)thread.Error ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$in", thread.InputTokens);
        cmd.Parameters.AddWithValue("$out", thread.OutputTokens);
        cmd.Parameters.AddWithValue("$started", Time(thread.StartedAt));
        cmd.Parameters.AddWithValue("$ended", thread.EndedAt is { } ended ? Time(ended) : DBNull.Value);
    }

    private static async Task<IReadOnlyList<TaskThread>> ReadAsync(SqliteConnection c, string where, string id, CancellationToken cancellationToken)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM task_threads WHERE {where} ORDER BY seq";
        cmd.Parameters.AddWithValue("$id", id);
        var list = new List<TaskThread>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            list.Add(new TaskThread
            {
                Id = r.GetString(0),
                TaskId = r.GetString(1),
                ParentId = r.IsDBNull(2) ? null : r.GetString(2),
                ToolCallId = r.IsDBNull(3) ? null : r.GetString(3),
                Agent = r.GetString(4),
                Model = r.IsDBNull(5) ? null : r.GetString(5),
                Status = Enum.Parse<TaskThreadStatus>(r.GetString(6)),
                Answer = r.IsDBNull(7) ? null : r.GetString(7),
                Error = r.IsDBNull(8) ? null : r.GetString(8),
                InputTokens = r.GetInt64(9),
                OutputTokens = r.GetInt64(10),
                StartedAt = DateTimeOffset.Parse(r.GetString(11), CultureInfo.InvariantCulture),
                EndedAt = r.IsDBNull(12) ? null : DateTimeOffset.Parse(r.GetString(12), CultureInfo.InvariantCulture),
            });
        return list;
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
