using Npgsql;
using Moltworker.Kernel.State;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Stores;

/// <summary>
/// /healthz entry "database" on PostgreSQL: the server and database (never the password), whether it answers and
/// whether it takes a write (<c>writable</c>: each check updates one row, <see cref="ProbeKey"/> in <c>kv</c>). An
/// unreachable server or a refused password shows here with the reason, and the entry turns healthy again by itself
/// once the server is back.
/// </summary>
public sealed class PostgresDatabaseHealth(PostgresDatabase db, TimeProvider time) : IHealthContributor
{
    /// <summary>The <c>kv</c> key the write check updates (the same as on SQLite).</summary>
    public const string ProbeKey = "health:write-probe";

    public string Name => "database";

    public async Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        var target = db.Target;
        try
        {
            var version = await db.RunAsync(async c =>
            {
                await using var cmd = new NpgsqlCommand("""
                    INSERT INTO kv (key, value, updated_at) VALUES (@k, @v, @t) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;
                    SELECT current_setting('server_version');
                    """, c).With("k", ProbeKey).With("v", time.GetUtcNow().ToString("O")).With("t", time.GetUtcNow());
                return (string?)await cmd.ExecuteScalarAsync(cancellationToken);
            }, cancellationToken);
            return new HealthEntry(true, new { provider = "postgres", server = target.Server, database = target.Database, serverVersion = version, writable = true });
        }
        catch (StorageException ex)
        {
            return new HealthEntry(false, new { provider = "postgres", server = target.Server, database = target.Database, writable = false, error = ex.Message }, ex.Message);
        }
    }
}
