using System.Globalization;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Filters;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Approvals;

/// <summary><see cref="IApprovalStore"/> in the <c>approvals</c> and <c>approval_grants</c> tables. Times are stored as
/// UTC round-trip strings, so they compare in order as text.</summary>
public sealed class SqliteApprovalStore(SqliteDatabase db) : IApprovalStore
{
    private const string Columns = "id, call_key, task_id, channel, chat_id, user_id, tool, arguments, reason, status, created_at, expires_at, decided_by, decided_at";

    public Task<ApprovalRequest> CreateAsync(ApprovalRequest request, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using (var insert = c.CreateCommand())
            {
                insert.CommandText = $"""
                    INSERT OR IGNORE INTO approvals ({Columns})
                    VALUES ($id, $key, $task, $ch, $chat, $user, $tool, $args, $reason, $status, $created, $expires, NULL, NULL)
                    """;
                insert.Parameters.AddWithValue("$id", request.Id);
                insert.Parameters.AddWithValue("$key", request.CallKey);
                insert.Parameters.AddWithValue("$task", request.TaskId);
                insert.Parameters.AddWithValue("$ch", request.Address.Channel);
                insert.Parameters.AddWithValue("$chat", request.Address.ChatId);
                insert.Parameters.AddWithValue("$user", (object?)request.Address.UserId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$tool", request.Tool);
                insert.Parameters.AddWithValue("$args", request.Arguments);
                insert.Parameters.AddWithValue("$reason", (object?)request.Reason ?? DBNull.Value);
                insert.Parameters.AddWithValue("$status", request.Status.ToString());
                insert.Parameters.AddWithValue("$created", Text(request.CreatedAt));
                insert.Parameters.AddWithValue("$expires", Text(request.ExpiresAt));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            return await ReadOneAsync(c, "call_key = $v", request.CallKey, cancellationToken) ?? request;
        }, cancellationToken);

    public Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(c => ReadOneAsync(c, "id = $v", id, cancellationToken), cancellationToken);

    public Task<ApprovalRequest?> FindByCallAsync(string callKey, CancellationToken cancellationToken) =>
        db.RunAsync(c => ReadOneAsync(c, "call_key = $v", callKey, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> ListPendingAsync(int limit, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<ApprovalRequest>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM approvals WHERE status = 'Pending' ORDER BY created_at, id LIMIT $n";
            cmd.Parameters.AddWithValue("$n", Math.Max(1, limit));
            return await ReadAllAsync(cmd, cancellationToken);
        }, cancellationToken);

    public Task<int> CountPendingAsync(string taskId, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM approvals WHERE task_id = $t AND status = 'Pending'";
            cmd.Parameters.AddWithValue("$t", taskId);
            return Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task<bool> ResolveAsync(string id, ApprovalStatus status, string? decidedBy, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE approvals SET status = $s, decided_by = $by, decided_at = $at WHERE id = $id AND status = 'Pending'";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$s", status.ToString());
            cmd.Parameters.AddWithValue("$by", (object?)decidedBy ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$at", Text(at));
            return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<ApprovalRequest>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM approvals WHERE status = 'Pending' AND expires_at <= $now ORDER BY expires_at";
            cmd.Parameters.AddWithValue("$now", Text(now));
            return await ReadAllAsync(cmd, cancellationToken);
        }, cancellationToken);

    public Task GrantAsync(string conversation, string tool, DateTimeOffset until, string grantedBy, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                INSERT INTO approval_grants (conversation, tool, until, granted_by) VALUES ($c, $tool, $until, $by)
                ON CONFLICT (conversation, tool) DO UPDATE SET until = excluded.until, granted_by = excluded.granted_by
                """;
            cmd.Parameters.AddWithValue("$c", conversation);
            cmd.Parameters.AddWithValue("$tool", tool);
            cmd.Parameters.AddWithValue("$until", Text(until));
            cmd.Parameters.AddWithValue("$by", grantedBy);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<bool> IsGrantedAsync(string conversation, string tool, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT EXISTS (SELECT 1 FROM approval_grants WHERE conversation = $c AND tool = $tool AND until > $now)";
            cmd.Parameters.AddWithValue("$c", conversation);
            cmd.Parameters.AddWithValue("$tool", tool);
            cmd.Parameters.AddWithValue("$now", Text(now));
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
        }, cancellationToken);

    public Task<int> RevokeGrantsAsync(string conversation, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM approval_grants WHERE conversation = $c";
            cmd.Parameters.AddWithValue("$c", conversation);
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task<ApprovalRequest?> ReadOneAsync(SqliteConnection c, string where, string value, CancellationToken cancellationToken)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM approvals WHERE {where}";
        cmd.Parameters.AddWithValue("$v", value);
        return (await ReadAllAsync(cmd, cancellationToken)).FirstOrDefault();
    }

    private static async Task<IReadOnlyList<ApprovalRequest>> ReadAllAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        var list = new List<ApprovalRequest>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(Read(r));
        return list;
    }

    private static ApprovalRequest Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        CallKey = r.GetString(1),
        TaskId = r.GetString(2),
        Address = new ChatAddress(r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)),
        Tool = r.GetString(6),
        Arguments = r.GetString(7),
        Reason = r.IsDBNull(8) ? null : r.GetString(8),
        Status = Enum.Parse<ApprovalStatus>(r.GetString(9)),
        CreatedAt = Time(r.GetString(10)),
        ExpiresAt = Time(r.GetString(11)),
        DecidedBy = r.IsDBNull(12) ? null : r.GetString(12),
        DecidedAt = r.IsDBNull(13) ? null : Time(r.GetString(13)),
    };

    private static string Text(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
