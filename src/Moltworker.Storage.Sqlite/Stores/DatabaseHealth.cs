using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Stores;

/// <summary>
/// /healthz entry "database": the file, whether it can be read, and whether it can be written (<c>writable</c>): each
/// check writes one small row (<see cref="ProbeKey"/> in <c>kv</c>), so a full disk or a read-only file shows here,
/// with the reason, as soon as it happens, and <c>writable</c> turns true again by itself once space returns. Less free
/// space than <c>Moltworker:MinFreeSpaceMegabytes</c> counts as not writable too (SQLite may still fit a small write
/// into its WAL file when the disk is full, and fail on the next larger one).
/// </summary>
public sealed class DatabaseHealth(SqliteDatabase db, TimeProvider time, IOptions<StorageOptions> options) : IHealthContributor
{
    /// <summary>The <c>kv</c> key the write check updates.</summary>
    public const string ProbeKey = "health:write-probe";

    public string Name => "database";

    private long? FreeBytes()
    {
        try { return new DriveInfo(db.Directory).AvailableFreeSpace; }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException) { return null; }
    }

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
        var free = FreeBytes();
        var minimum = Math.Max(0, options.Value.MinFreeSpaceMegabytes) * 1024L * 1024L;
        if (free is { } bytes && bytes < minimum)
        {
            var reason = $"The disk holding {db.Path} is full: {bytes / 1024} KB free, less than Moltworker:MinFreeSpaceMegabytes ({minimum / 1024 / 1024} MB). Free space; writes resume by themselves.";
            return new HealthEntry(false, new { path = db.Path, journalMode = mode, writable = false, freeBytes = bytes, error = reason }, reason);
        }
        return new HealthEntry(true, new { path = db.Path, journalMode = mode, writable = true, freeBytes = free });
    }
}
