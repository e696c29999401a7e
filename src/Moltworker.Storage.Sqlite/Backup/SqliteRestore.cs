using Microsoft.Data.Sqlite;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>
/// Puts a backup in place of the database. Refuses while a host holds the data directory (<see cref="DataDirectoryLock"/>)
/// and holds that lock itself meanwhile, so no host starts half-way. The backup must pass <c>PRAGMA integrity_check</c>
/// and must not come from a newer schema; the database it replaces (with its WAL) is kept beside it as
/// <c>moltworker.db.before-restore-&lt;time&gt;</c>. The restored file is migrated, as usual, when the host next opens it.
/// </summary>
public static class SqliteRestore
{
    public static async Task<RestoreResult> RestoreAsync(string backupPath, string databasePath, IReadOnlyList<SqliteMigration> migrations, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        backupPath = Path.GetFullPath(backupPath);
        databasePath = Path.GetFullPath(databasePath);
        if (!File.Exists(backupPath)) throw new StorageException($"There is no backup file {backupPath}.");
        var directory = Path.GetDirectoryName(databasePath)!;
        using var held = DataDirectoryLock.TryAcquire(directory)
            ?? throw new StorageException($"A Moltworker host is using {directory} ({DataDirectoryLock.FileName} is locked). Stop it, then restore.");
        await CheckBackupAsync(backupPath, migrations, cancellationToken);

        SqliteConnection.ClearAllPools();
        var incoming = databasePath + ".restoring";
        File.Copy(backupPath, incoming, overwrite: true);
        string? keptAs = null;
        if (File.Exists(databasePath))
        {
            keptAs = $"{databasePath}.before-restore-{now.UtcDateTime:yyyyMMdd-HHmmss}";
            File.Move(databasePath, keptAs);
        }
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (!File.Exists(databasePath + suffix)) continue;
            if (keptAs is not null) File.Move(databasePath + suffix, keptAs + suffix, overwrite: true);
            else File.Delete(databasePath + suffix);
        }
        File.Move(incoming, databasePath);
        return new RestoreResult(databasePath, keptAs);
    }

    private static async Task CheckBackupAsync(string backupPath, IReadOnlyList<SqliteMigration> migrations, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = backupPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            await connection.OpenAsync(cancellationToken);
            await using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check";
                var result = (string?)await check.ExecuteScalarAsync(cancellationToken);
                if (result != "ok") throw new StorageException($"The backup {backupPath} fails integrity_check ({result}); nothing was restored.");
            }
            await using (var table = connection.CreateCommand())
            {
                table.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
                if ((long)(await table.ExecuteScalarAsync(cancellationToken))! == 0)
                    throw new StorageException($"{backupPath} is not a Moltworker database (it has no schema_migrations table); nothing was restored.");
            }
            await SchemaVersionGuard.CheckAsync(connection, migrations, backupPath, cancellationToken);
        }
        catch (SqliteException ex) { throw SqliteErrors.Translate(ex, backupPath); }
    }
}
