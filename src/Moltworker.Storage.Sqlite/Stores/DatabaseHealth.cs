using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Stores;

/// <summary>/healthz entry "database": the file, and whether a trivial query works.</summary>
public sealed class DatabaseHealth(SqliteDatabase db) : IHealthContributor
{
    public string Name => "database";

    public async Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var mode = await db.RunAsync(async c =>
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = "PRAGMA journal_mode";
                return (string?)await cmd.ExecuteScalarAsync(cancellationToken);
            }, cancellationToken);
            return new HealthEntry(true, new { path = db.Path, journalMode = mode });
        }
        catch (StorageException ex)
        {
            return new HealthEntry(false, new { path = db.Path, error = ex.Message });
        }
    }
}
