using Npgsql;
using Moltworker.Kernel.Cluster;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Leases;

/// <summary>Row leases in PostgreSQL: a task's <c>owner</c> and <c>lease_expires_at</c>, a chat's <c>chat_leases</c> row.
/// Taking a chat is one upsert that succeeds only when the row is free, expired or already ours, so two hosts never
/// both hold it; expiry is the server's <c>now()</c>.</summary>
public sealed class PostgresHostLeases(PostgresDatabase db) : IHostLeases
{
    public bool Shared => true;

    public Task RenewAsync(string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var batch = new NpgsqlBatch(c);
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
                UPDATE tasks SET lease_expires_at = {LeaseSql.Expiry}
                WHERE owner = @owner AND status = 'Running' AND lease_expires_at > now()
                """).With("owner", owner).With("lease", duration.TotalSeconds));
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
                UPDATE chat_leases SET lease_expires_at = {LeaseSql.Expiry} WHERE lease_owner = @owner AND lease_expires_at > now()
                """).With("owner", owner).With("lease", duration.TotalSeconds));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<bool> TryAcquireChatAsync(string orderKey, string owner, TimeSpan duration, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"""
                INSERT INTO chat_leases AS l (order_key, lease_owner, lease_expires_at) VALUES (@key, @owner, {LeaseSql.Expiry})
                ON CONFLICT (order_key) DO UPDATE SET lease_owner = EXCLUDED.lease_owner, lease_expires_at = EXCLUDED.lease_expires_at
                WHERE l.lease_owner = EXCLUDED.lease_owner OR l.lease_expires_at <= now()
                RETURNING 1
                """, c).With("key", orderKey).With("owner", owner).With("lease", duration.TotalSeconds);
            return await cmd.ExecuteScalarAsync(cancellationToken) is not null;
        }, cancellationToken);

    public Task ReleaseChatAsync(string orderKey, string owner, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("DELETE FROM chat_leases WHERE order_key = @key AND lease_owner = @owner", c)
                .With("key", orderKey).With("owner", owner);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
