using System.Globalization;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Journal;

/// <summary>The tool-call journal in SQLite (WAL: a write is durable against a process crash once it returns).
/// A result also counts as progress of its task.</summary>
public sealed class SqliteToolJournal(SqliteDatabase db, JournalWriteGate gate) : IToolJournal
{
    public Task RecordIntentAsync(JournalEntry intent, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                INSERT INTO tool_journal (key, task_id, step, call_id, tool, arguments, side_effects, started_at)
                VALUES ($k, $task, $step, $call, $tool, $args, $se, $t)
                ON CONFLICT(key) DO UPDATE SET runs = runs + 1, started_at = $t
                """;
            cmd.Parameters.AddWithValue("$k", intent.Key);
            cmd.Parameters.AddWithValue("$task", intent.TaskId);
            cmd.Parameters.AddWithValue("$step", intent.Step);
            cmd.Parameters.AddWithValue("$call", intent.CallId);
            cmd.Parameters.AddWithValue("$tool", intent.Tool);
            cmd.Parameters.AddWithValue("$args", intent.Arguments);
            cmd.Parameters.AddWithValue("$se", intent.SideEffects ? 1 : 0);
            cmd.Parameters.AddWithValue("$t", intent.StartedAt.ToString("O", CultureInfo.InvariantCulture));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task RecordResultAsync(string key, string taskId, ToolResult result, int attempts, DateTimeOffset at, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                UPDATE tool_journal SET status = $s, content = $c, attempts = $a, finished_at = $t WHERE key = $k;
                UPDATE tasks SET progress = progress + 1 WHERE id = $task;
                """;
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$task", taskId);
            cmd.Parameters.AddWithValue("$s", result.Status.ToString());
            cmd.Parameters.AddWithValue("$c", result.Content);
            cmd.Parameters.AddWithValue("$a", attempts);
            cmd.Parameters.AddWithValue("$t", at.ToString("O", CultureInfo.InvariantCulture));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, JournalEntry>> FindAsync(string taskId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyDictionary<string, JournalEntry>>(async c =>
        {
            var found = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
            if (keys.Count == 0) return found;
            await using var cmd = c.CreateCommand();
            var names = keys.Select((k, i) => { cmd.Parameters.AddWithValue($"$k{i}", k); return $"$k{i}"; });
            cmd.CommandText = $"SELECT {Columns} FROM tool_journal WHERE key IN ({string.Join(", ", names)})";
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken)) { var e = Read(r); found[e.Key] = e; }
            return found;
        }, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> ListAsync(string taskId, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<JournalEntry>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM tool_journal WHERE task_id = $task ORDER BY step, started_at, key";
            cmd.Parameters.AddWithValue("$task", taskId);
            var list = new List<JournalEntry>();
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
            return list;
        }, cancellationToken);

    public Task ForgetAsync(string key, CancellationToken cancellationToken) =>
        gate.WriteAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM tool_journal WHERE key = $k AND status IS NULL";
            cmd.Parameters.AddWithValue("$k", key);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private const string Columns = "key, task_id, step, call_id, tool, arguments, side_effects, runs, status, content, attempts, started_at, finished_at";

    private static JournalEntry Read(SqliteDataReader r) => new()
    {
        Key = r.GetString(0),
        TaskId = r.GetString(1),
        Step = r.GetInt32(2),
        CallId = r.GetString(3),
        Tool = r.GetString(4),
        Arguments = r.GetString(5),
        SideEffects = r.GetInt32(6) != 0,
        Runs = r.GetInt32(7),
        Status = r.IsDBNull(8) ? null : Enum.Parse<ToolStatus>(r.GetString(8)),
        Content = r.IsDBNull(9) ? null : r.GetString(9),
        Attempts = r.IsDBNull(10) ? 0 : r.GetInt32(10),
        StartedAt = DateTimeOffset.Parse(r.GetString(11), CultureInfo.InvariantCulture),
        FinishedAt = r.IsDBNull(12) ? null : DateTimeOffset.Parse(r.GetString(12), CultureInfo.InvariantCulture),
    };
}
