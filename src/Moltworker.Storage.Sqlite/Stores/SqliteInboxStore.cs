using Moltworker.Kernel.Inbox;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Stores;

/// <summary>The durable inbox. (source, external_id) is unique, so an update is never stored twice.</summary>
public sealed class SqliteInboxStore(SqliteDatabase db, TimeProvider time) : IInboxStore
{
    public Task<InboxItem?> EnqueueAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            var now = time.GetUtcNow();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT OR IGNORE INTO inbox (source, external_id, order_key, payload, received_at) VALUES ($s, $e, $o, $p, $t) RETURNING id";
            cmd.Parameters.AddWithValue("$s", source);
            cmd.Parameters.AddWithValue("$e", externalId);
            cmd.Parameters.AddWithValue("$o", orderKey);
            cmd.Parameters.AddWithValue("$p", payload);
            cmd.Parameters.AddWithValue("$t", now.ToString("O"));
            return await cmd.ExecuteScalarAsync(cancellationToken) is long id
                ? new InboxItem(id, source, externalId, orderKey, payload, now, 0)
                : null;
        }, cancellationToken);

    public Task<IReadOnlyList<InboxItem>> PendingAsync(int max, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<InboxItem>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id, source, external_id, order_key, payload, received_at, attempts FROM inbox WHERE done_at IS NULL ORDER BY id LIMIT $n";
            cmd.Parameters.AddWithValue("$n", max);
            var items = new List<InboxItem>();
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
                items.Add(new InboxItem(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), DateTimeOffset.Parse(r.GetString(5)), r.GetInt32(6)));
            return items;
        }, cancellationToken);

    public Task MarkAttemptAsync(long id, CancellationToken cancellationToken) =>
        Exec("UPDATE inbox SET attempts = attempts + 1 WHERE id = $id", id, null, cancellationToken);

    public Task CompleteAsync(long id, string? error, CancellationToken cancellationToken) =>
        Exec("UPDATE inbox SET done_at = $t, error = $err WHERE id = $id", id, error, cancellationToken);

    private Task Exec(string sql, long id, string? error, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O"));
            cmd.Parameters.AddWithValue("$err", (object?)error ?? DBNull.Value);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
