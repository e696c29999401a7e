using Npgsql;
using Moltworker.Kernel.Inbox;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Stores;

/// <summary>The durable inbox. (source, external_id) is unique, so an update is never stored twice, whichever host
/// receives it.</summary>
public sealed class PostgresInboxStore(PostgresDatabase db, TimeProvider time) : IInboxStore
{
    public Task<InboxItem?> EnqueueAsync(string source, string externalId, string orderKey, string payload, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            var now = time.GetUtcNow();
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO inbox (source, external_id, order_key, payload, received_at) VALUES (@s, @e, @o, @p, @t)
                ON CONFLICT (source, external_id) DO NOTHING RETURNING id
                """, c).With("s", source).With("e", externalId).With("o", orderKey).With("p", payload).With("t", now);
            return await cmd.ExecuteScalarAsync(cancellationToken) is long id
                ? new InboxItem(id, source, externalId, orderKey, payload, now, 0)
                : null;
        }, cancellationToken);

    public Task<IReadOnlyList<InboxItem>> PendingAsync(int max, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<InboxItem>>(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT id, source, external_id, order_key, payload, received_at, attempts FROM inbox WHERE done_at IS NULL ORDER BY id LIMIT @n", c)
                .With("n", max);
            var items = new List<InboxItem>();
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
                items.Add(new InboxItem(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetTime(5), r.GetInt32(6)));
            return items;
        }, cancellationToken);

    public Task<IReadOnlyList<InboxItem>> PendingAsync(string orderKey, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<InboxItem>>(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT id, source, external_id, order_key, payload, received_at, attempts FROM inbox WHERE done_at IS NULL AND order_key = @o ORDER BY id", c)
                .With("o", orderKey);
            var items = new List<InboxItem>();
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
                items.Add(new InboxItem(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetTime(5), r.GetInt32(6)));
            return items;
        }, cancellationToken);

    public Task MarkAttemptAsync(long id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("UPDATE inbox SET attempts = attempts + 1 WHERE id = @id", c).With("id", id);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task CompleteAsync(long id, string? error, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("UPDATE inbox SET done_at = @t, error = @err WHERE id = @id", c)
                .With("id", id).With("t", time.GetUtcNow()).With("err", error);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
