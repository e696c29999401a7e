using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Stores;

/// <summary>
/// /healthz entry "database": the file, whether it can be read, and whether it can be written (<c>writable</c>): each
/// check writes one small row (<see cref="ProbeKey"/> in <c>kv</c>), so a full disk or a read-only file shows here,
/// with the reason, as soon as it happens, and <c>writable</c> turns true again by itself once space returns.
/// </summary>
public sealed class DatabaseHealth(SqliteDatabase db, TimeProvider time) : IHealthContributor
{
    /// <summary>The <c>kv</c> key the write check updates.</summary>
    public const string ProbeKey = "health:write-probe";

    public string Name => "database";

    public async Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        string? mode;
        try
        {
            mode = await db.RunAsync(async c =>
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = "PRAGMA journal_mode";
                return (string?)await cmd.ExecuteScalarAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (StorageException ex)
        {
            return new HealthEntry(false, new { path = db.Path, writable = false, error = ex.Message }, ex.Message);
        }
        try
        {
            await db.RunAsync(async c =>
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = "INSERT INTO kv (key, value, updated_at) VALUES ($k, $t, $t) ON CONFLICT(key) DO UPDATE SET value = $t, updated_at = $t";
                cmd.Parameters.AddWithValue("$k", ProbeKey);
                cmd.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O"));
                await cmd.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (StorageException ex)
        {
            return new HealthEntry(false, new { path = db.Path, journalMode = mode, writable = false, error = ex.Message },
                "The database cannot write: " + ex.Message);
        }
        return new HealthEntry(true, new { path = db.Path, journalMode = mode, writable = true });
    }
}
