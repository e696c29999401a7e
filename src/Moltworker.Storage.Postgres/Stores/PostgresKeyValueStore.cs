using Npgsql;
using Moltworker.Kernel.State;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Stores;

/// <summary>Key-value settings in the <c>kv</c> table.</summary>
public sealed class PostgresKeyValueStore(PostgresDatabase db, TimeProvider time) : IKeyValueStore
{
    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("SELECT value FROM kv WHERE key = @k", c).With("k", key);
            return await cmd.ExecuteScalarAsync(cancellationToken) as string;
        }, cancellationToken);

    public Task SetAsync(string key, string value, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO kv (key, value, updated_at) VALUES (@k, @v, @t) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at", c)
                .With("k", key).With("v", value).With("t", time.GetUtcNow());
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
