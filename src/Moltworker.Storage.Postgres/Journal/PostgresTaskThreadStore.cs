using Npgsql;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Journal;

/// <summary>The threads of durable tasks in PostgreSQL (<c>task_threads</c>); <c>seq</c> keeps the order rows were first
/// written in. Every write is one <c>INSERT … ON CONFLICT (id) DO UPDATE</c>, so two runs of one call never make two rows.</summary>
public sealed class PostgresTaskThreadStore(PostgresDatabase db) : ITaskThreadStore
{
    private const string Columns = "id, task_id, parent_id, tool_call_id, agent, model, status, answer, error, input_tokens, output_tokens, started_at, ended_at";

    public Task<TaskThread?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c => (await ReadAsync(c, "id = @id", id, cancellationToken)).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<TaskThread>> ListAsync(string taskId, CancellationToken cancellationToken) =>
        db.RunAsync(c => ReadAsync(c, "task_id = @id", taskId, cancellationToken), cancellationToken);

    public Task SaveCheckpointAsync(TaskThread thread, StoredCheckpoint checkpoint, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await c.ExecuteAsync(cancellationToken, Bind(new NpgsqlBatchCommand("""
                INSERT INTO task_threads (id, task_id, parent_id, tool_call_id, agent, model, status, answer, error, input_tokens, output_tokens,
                                          checkpoint_version, checkpoint, started_at, ended_at)
                VALUES (@id, @task, @parent, @call, @agent, @model, @status, @answer, @error, @in, @out, @v, @cp, @started, @ended)
                ON CONFLICT (id) DO UPDATE SET checkpoint_version = excluded.checkpoint_version, checkpoint = excluded.checkpoint,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens
                """), thread with { Status = TaskThreadStatus.Running, Answer = null, Error = null, EndedAt = null })
                .With("v", checkpoint.SchemaVersion).With("cp", checkpoint.Payload));
        }, cancellationToken);

    public Task<StoredCheckpoint?> LoadCheckpointAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("SELECT checkpoint_version, checkpoint FROM task_threads WHERE id = @id AND checkpoint IS NOT NULL", c).With("id", id);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            return await r.ReadAsync(cancellationToken) ? new StoredCheckpoint(r.GetInt32(0), r.GetString(1), "", 0) : null;
        }, cancellationToken);

    public Task RecordAsync(TaskThread thread, CancellationToken cancellationToken) =>
        db.RunAsync(c => c.ExecuteAsync(cancellationToken, Record(thread)), cancellationToken);

    /// <summary><see cref="RecordAsync"/>'s statement, also run in a batch by <see cref="PostgresTaskEndStore"/>.</summary>
    internal static NpgsqlBatchCommand Record(TaskThread thread) => Bind(new NpgsqlBatchCommand("""
        INSERT INTO task_threads (id, task_id, parent_id, tool_call_id, agent, model, status, answer, error, input_tokens, output_tokens, started_at, ended_at)
        VALUES (@id, @task, @parent, @call, @agent, @model, @status, @answer, @error, @in, @out, @started, @ended)
        ON CONFLICT (id) DO UPDATE SET model = excluded.model, status = excluded.status, answer = excluded.answer, error = excluded.error,
            input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, ended_at = excluded.ended_at
        """), thread);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                "DELETE FROM task_threads t WHERE t.started_at < @before AND NOT EXISTS (SELECT 1 FROM tasks WHERE tasks.id = t.task_id)", c).With("before", before);
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static NpgsqlBatchCommand Bind(NpgsqlBatchCommand cmd, TaskThread thread) => cmd
        .With("id", thread.Id).With("task", thread.TaskId).With("parent", thread.ParentId).With("call", thread.ToolCallId)
        .With("agent", thread.Agent).With("model", thread.Model).With("status", thread.Status.ToString()).With("answer", thread.Answer)
        .With("error", thread.Error).With("in", thread.InputTokens).With("out", thread.OutputTokens)
        .With("started", thread.StartedAt).With("ended", thread.EndedAt);

    private static async Task<IReadOnlyList<TaskThread>> ReadAsync(NpgsqlConnection c, string where, string id, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM task_threads WHERE {where} ORDER BY seq", c).With("id", id);
        var list = new List<TaskThread>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            list.Add(new TaskThread
            {
                Id = r.GetString(0),
                TaskId = r.GetString(1),
                ParentId = r.GetStringOrNull(2),
                ToolCallId = r.GetStringOrNull(3),
                Agent = r.GetString(4),
                Model = r.GetStringOrNull(5),
                Status = Enum.Parse<TaskThreadStatus>(r.GetString(6)),
                Answer = r.GetStringOrNull(7),
                Error = r.GetStringOrNull(8),
                InputTokens = r.GetInt64(9),
                OutputTokens = r.GetInt64(10),
                StartedAt = r.GetTime(11),
                EndedAt = r.GetTimeOrNull(12),
            });
        return list;
    }
}
