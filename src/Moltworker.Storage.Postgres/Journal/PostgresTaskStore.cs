using Microsoft.Extensions.Options;
using Npgsql;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Leases;

namespace Moltworker.Storage.Postgres.Journal;

/// <summary>Durable tasks in PostgreSQL. Progress (checkpoints and journaled results) is counted on the row, so a claim
/// can tell a task that died again without progress from one that moved on. A claim is one <c>UPDATE … RETURNING</c>,
/// so two hosts claiming at once never both get the same task.
/// Ownership is a lease (<c>owner</c>, <c>lease_expires_at</c>; renewed by <see cref="PostgresHostLeases"/>): creating
/// or claiming a task takes it for <see cref="ClusterOptions.LeaseDuration"/> from the server's now, and a claim takes
/// only tasks whose lease expired (a claim by id also a released task, owned by nobody), locking the rows it takes with <c>FOR UPDATE SKIP LOCKED</c>. With a
/// <see cref="TaskOwner"/>, a checkpoint is fenced: refused with <see cref="LeaseLostException"/> unless this owner's
/// lease on the task is still unexpired.</summary>
public sealed class PostgresTaskStore(PostgresDatabase db, TimeProvider time, TaskOwner? fenceOwner = null, IOptions<ClusterOptions>? cluster = null) : ITaskStore
{
    private readonly double _lease = (cluster?.Value ?? new ClusterOptions()).LeaseDuration.TotalSeconds;

    private const string Columns = "id, channel, chat_id, user_id, agent, phase, step, status, auto_resume_count, last_error, final_text, deaths, created_at, updated_at";
    private const string QualifiedColumns = "tasks.id, tasks.channel, tasks.chat_id, tasks.user_id, tasks.agent, tasks.phase, tasks.step, tasks.status, " +
        "tasks.auto_resume_count, tasks.last_error, tasks.final_text, tasks.deaths, tasks.created_at, tasks.updated_at";

    public Task CreateAsync(DurableTask task, string owner, StoredCheckpoint checkpoint, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"""
                INSERT INTO tasks (id, channel, chat_id, user_id, agent, phase, step, status, owner, lease_expires_at, checkpoint_version, checkpoint, created_at, updated_at)
                VALUES (@id, @ch, @chat, @user, @agent, @phase, @step, @status, @owner, {LeaseSql.Expiry}, @v, @cp, @t, @t)
                """, c).With("lease", _lease)
                .With("id", task.Id).With("ch", task.Address.Channel).With("chat", task.Address.ChatId).With("user", task.Address.UserId)
                .With("agent", task.Agent).With("phase", checkpoint.Phase).With("step", checkpoint.Step).With("status", task.Status.ToString())
                .With("owner", owner).With("v", checkpoint.SchemaVersion).With("cp", checkpoint.Payload).With("t", time.GetUtcNow());
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<DurableTask?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM tasks WHERE id = @id", c).With("id", id);
            return (await ReadAll(cmd, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<DurableTask>> ListAsync(DurableTaskStatus? status, int limit, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM tasks WHERE (@s IS NULL OR status = @s) ORDER BY created_at DESC, id DESC LIMIT @n", c)
                .With("s", status?.ToString()).With("n", Math.Max(1, limit));
            return await ReadAll(cmd, cancellationToken);
        }, cancellationToken);

    public Task SaveCheckpointAsync(string id, StoredCheckpoint checkpoint, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"""
                UPDATE tasks SET checkpoint_version = @v, checkpoint = @cp, phase = @phase, step = @step, progress = progress + 1, updated_at = @t
                WHERE id = @id AND (@fenced = false OR {LeaseSql.Fence})
                """, c)
                .With("id", id).With("task", id).With("v", checkpoint.SchemaVersion).With("cp", checkpoint.Payload).With("phase", checkpoint.Phase)
                .With("step", checkpoint.Step).With("t", time.GetUtcNow()).With("fenced", fenceOwner is not null).With("owner", fenceOwner?.Id);
            if (await cmd.ExecuteNonQueryAsync(cancellationToken) == 0 && fenceOwner is not null && await ExistsAsync(c, id, cancellationToken))
                throw new LeaseLostException(id);
        }, cancellationToken);

    private static async Task<bool> ExistsAsync(NpgsqlConnection c, string id, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM tasks WHERE id = @id", c).With("id", id);
        return await cmd.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public Task<StoredCheckpoint?> LoadCheckpointAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("SELECT checkpoint_version, checkpoint, phase, step FROM tasks WHERE id = @id AND checkpoint IS NOT NULL", c).With("id", id);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            return await r.ReadAsync(cancellationToken) ? new StoredCheckpoint(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetInt32(3)) : null;
        }, cancellationToken);

    public Task SetStatusAsync(string id, DurableTaskStatus status, string? error, string? finalText, CancellationToken cancellationToken) =>
        db.RunAsync(c => c.ExecuteAsync(cancellationToken, SetStatus(id, status, error, finalText, time.GetUtcNow())), cancellationToken);

    /// <summary><see cref="SetStatusAsync"/>'s statement, also run in a batch by <see cref="PostgresTaskEndStore"/>.</summary>
    internal static NpgsqlBatchCommand SetStatus(string id, DurableTaskStatus status, string? error, string? finalText, DateTimeOffset now) =>
        new NpgsqlBatchCommand("UPDATE tasks SET status = @s, last_error = COALESCE(@e, last_error), final_text = COALESCE(@f, final_text), updated_at = @t WHERE id = @id")
            .With("id", id).With("s", status.ToString()).With("e", error).With("f", finalText).With("t", now);

    public Task<int> RecordAutoResumeAsync(string id, string error, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                "UPDATE tasks SET auto_resume_count = auto_resume_count + 1, last_error = @e, updated_at = @t WHERE id = @id RETURNING auto_resume_count", c)
                .With("id", id).With("e", error).With("t", time.GetUtcNow());
            return await cmd.ExecuteScalarAsync(cancellationToken) is int count ? count : 0;
        }, cancellationToken);

    public Task<IReadOnlyList<DurableTask>> ClaimOrphansAsync(string owner, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"""
                WITH claimable AS (
                    SELECT id FROM tasks t WHERE t.status = 'Running' AND (t.owner IS NULL OR t.owner <> @o) AND {LeaseSql.TaskClaimable}
                    FOR UPDATE SKIP LOCKED)
                UPDATE tasks SET owner = @o, lease_expires_at = {LeaseSql.Expiry},
                    deaths = CASE WHEN death_mark = progress THEN deaths + 1 ELSE 1 END,
                    death_mark = progress, updated_at = @t
                FROM claimable WHERE tasks.id = claimable.id
                RETURNING {QualifiedColumns}
                """, c).With("o", owner).With("t", time.GetUtcNow()).With("lease", _lease);
            return await ReadAll(cmd, cancellationToken);
        }, cancellationToken);

    public Task<DurableTask?> ClaimAsync(string id, string owner, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"""
                WITH claimable AS (
                    SELECT id FROM tasks t WHERE t.id = @id AND t.status = 'Running' AND (t.owner IS NULL OR (t.owner <> @o AND {LeaseSql.TaskClaimable}))
                    FOR UPDATE SKIP LOCKED)
                UPDATE tasks SET owner = @o, lease_expires_at = {LeaseSql.Expiry},
                    deaths = CASE WHEN death_mark = progress THEN deaths + 1 ELSE 1 END,
                    death_mark = progress, updated_at = @t
                FROM claimable WHERE tasks.id = claimable.id
                RETURNING {QualifiedColumns}
                """, c).With("id", id).With("o", owner).With("t", time.GetUtcNow()).With("lease", _lease);
            return (await ReadAll(cmd, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    /// <summary>Runnable again, and owned by nobody: the host that released it claims it at once by id (<see cref="ClaimAsync"/>);
    /// the other hosts' sweeps only once a lease's time has passed, so they take it only when that host is gone.</summary>
    public Task ReleaseAsync(string id, CancellationToken cancellationToken) =>
        Exec($"UPDATE tasks SET status = 'Running', owner = NULL, lease_expires_at = {LeaseSql.Expiry}, deaths = 0, death_mark = NULL, updated_at = @t WHERE id = @id AND status IN ('Paused', 'AwaitingApproval')",
            cmd => cmd.With("id", id).With("lease", _lease), cancellationToken);

    public Task<TaskStats> StatsAsync(CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("""
                SELECT count(*) FILTER (WHERE status = 'Running')::int, count(*) FILTER (WHERE status IN ('Paused', 'AwaitingApproval'))::int,
                       count(*) FILTER (WHERE status = 'Completed')::int, count(*) FILTER (WHERE status = 'Failed')::int,
                       COALESCE(sum(auto_resume_count), 0)::bigint, count(*) FILTER (WHERE auto_resume_count > 0)::int
                FROM tasks
                """, c);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            await r.ReadAsync(cancellationToken);
            return new TaskStats(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt64(4), r.GetInt32(5));
        }, cancellationToken);

    public Task<int> PruneFinishedAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            // One statement: the journal rows and the tasks go together or not at all.
            await using var cmd = new NpgsqlCommand("""
                WITH pruned AS (SELECT id FROM tasks WHERE status IN ('Completed', 'Failed') AND updated_at < @before),
                     journal AS (DELETE FROM tool_journal WHERE task_id IN (SELECT id FROM pruned)),
                     gone AS (DELETE FROM tasks WHERE id IN (SELECT id FROM pruned) RETURNING 1)
                SELECT count(*)::int FROM gone
                """, c).With("before", before);
            return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    private Task Exec(string sql, Action<NpgsqlCommand> parameters, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand(sql, c).With("t", time.GetUtcNow());
            parameters(cmd);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task<IReadOnlyList<DurableTask>> ReadAll(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<DurableTask>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
        return list;
    }

    private static DurableTask Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        Address = new ChatAddress(r.GetString(1), r.GetString(2), r.GetStringOrNull(3)),
        Agent = r.GetString(4),
        Phase = r.GetString(5),
        Step = r.GetInt32(6),
        Status = Enum.Parse<DurableTaskStatus>(r.GetString(7)),
        AutoResumeCount = r.GetInt32(8),
        LastError = r.GetStringOrNull(9),
        FinalText = r.GetStringOrNull(10),
        Deaths = r.GetInt32(11),
        CreatedAt = r.GetTime(12),
        UpdatedAt = r.GetTime(13),
    };
}
