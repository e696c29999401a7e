using Npgsql;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Filters;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Approvals;

/// <summary><see cref="IApprovalStore"/> in the shared <c>approvals</c> and <c>approval_grants</c> tables, so a request
/// made on one host can be answered on any other. "First answer wins" is the conditional update of
/// <see cref="ResolveAsync"/>: of two hosts resolving at once, one updates the row and the other finds it decided.</summary>
public sealed class PostgresApprovalStore(PostgresDatabase db) : IApprovalStore
{
    private const string Columns = "id, call_key, task_id, channel, chat_id, user_id, tool, arguments, reason, status, created_at, expires_at, decided_by, decided_at";

    public Task<ApprovalRequest> CreateAsync(ApprovalRequest request, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using (var insert = new NpgsqlCommand($"""
                INSERT INTO approvals ({Columns})
                VALUES (@id, @key, @task, @ch, @chat, @user, @tool, @args, @reason, @status, @created, @expires, NULL, NULL)
                ON CONFLICT DO NOTHING
                """, c))
            {
                insert.With("id", request.Id).With("key", request.CallKey).With("task", request.TaskId)
                    .With("ch", request.Address.Channel).With("chat", request.Address.ChatId).With("user", request.Address.UserId)
                    .With("tool", request.Tool).With("args", request.Arguments).With("reason", request.Reason)
                    .With("status", request.Status.ToString()).With("created", request.CreatedAt).With("expires", request.ExpiresAt);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            return await ReadOneAsync(c, "call_key = @v", request.CallKey, cancellationToken) ?? request;
        }, cancellationToken);

    public Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(c => ReadOneAsync(c, "id = @v", id, cancellationToken), cancellationToken);

    public Task<ApprovalRequest?> FindByCallAsync(string callKey, CancellationToken cancellationToken) =>
        db.RunAsync(c => ReadOneAsync(c, "call_key = @v", callKey, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> ListPendingAsync(int limit, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM approvals WHERE status = 'Pending' ORDER BY created_at, id LIMIT @n", c)
                .With("n", Math.Max(1, limit));
            return await ReadAllAsync(cmd, cancellationToken);
        }, cancellationToken);

    public Task<int> CountPendingAsync(string taskId, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("SELECT count(*)::integer FROM approvals WHERE task_id = @t AND status = 'Pending'", c).With("t", taskId);
            return (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public Task<bool> ResolveAsync(string id, ApprovalStatus status, string? decidedBy, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                "UPDATE approvals SET status = @s, decided_by = @by, decided_at = @at WHERE id = @id AND status = 'Pending'", c)
                .With("id", id).With("s", status.ToString()).With("by", decidedBy).With("at", at);
            return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM approvals WHERE status = 'Pending' AND expires_at <= @now ORDER BY expires_at", c)
                .With("now", now);
            return await ReadAllAsync(cmd, cancellationToken);
        }, cancellationToken);

    public Task GrantAsync(string conversation, string tool, DateTimeOffset until, string grantedBy, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO approval_grants (conversation, tool, until, granted_by) VALUES (@c, @tool, @until, @by)
                ON CONFLICT (conversation, tool) DO UPDATE SET until = EXCLUDED.until, granted_by = EXCLUDED.granted_by
                """, c).With("c", conversation).With("tool", tool).With("until", until).With("by", grantedBy);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<bool> IsGrantedAsync(string conversation, string tool, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM approval_grants WHERE conversation = @c AND tool = @tool AND until > @now)", c)
                .With("c", conversation).With("tool", tool).With("now", now);
            return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public Task<int> RevokeGrantsAsync(string conversation, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("DELETE FROM approval_grants WHERE conversation = @c", c).With("c", conversation);
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task<ApprovalRequest?> ReadOneAsync(NpgsqlConnection c, string where, string value, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM approvals WHERE {where}", c).With("v", value);
        return (await ReadAllAsync(cmd, cancellationToken)).FirstOrDefault();
    }

    private static async Task<IReadOnlyList<ApprovalRequest>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<ApprovalRequest>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
        return list;
    }

    private static ApprovalRequest Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        CallKey = r.GetString(1),
        TaskId = r.GetString(2),
        Address = new ChatAddress(r.GetString(3), r.GetString(4), r.GetStringOrNull(5)),
        Tool = r.GetString(6),
        Arguments = r.GetString(7),
        Reason = r.GetStringOrNull(8),
        Status = Enum.Parse<ApprovalStatus>(r.GetString(9)),
        CreatedAt = r.GetTime(10),
        ExpiresAt = r.GetTime(11),
        DecidedBy = r.GetStringOrNull(12),
        DecidedAt = r.GetTimeOrNull(13),
    };
}
