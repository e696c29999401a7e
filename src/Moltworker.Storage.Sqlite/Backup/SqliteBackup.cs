using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>
/// An online, consistent copy of a SQLite database with SQLite's backup API, while other connections (a running host)
/// keep reading and writing: in WAL mode the copy reads one snapshot and never blocks writers. The copy is written to
/// <c>&lt;target&gt;.partial</c> beside the target and renamed when complete, so a target file is always a whole backup.
/// The source is opened as it is: nothing is migrated (a backup taken before an upgrade stays the old version).
/// </summary>
public static class SqliteBackup
{
    public static async Task<BackupResult> BackupAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default)
    {
        sourcePath = Path.GetFullPath(sourcePath);
        targetPath = Path.GetFullPath(targetPath);
        if (!File.Exists(sourcePath)) throw new StorageException($"There is no database at {sourcePath} to back up (check Moltworker:DataDirectory).");
        if (string.Equals(sourcePath, targetPath, StringComparison.Ordinal)) throw new StorageException("The backup file cannot be the database itself.");
        if (Path.GetDirectoryName(targetPath) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        var partial = targetPath + ".partial";
        File.Delete(partial);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Task.Run(() =>
            {
                using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sourcePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString());
                using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString());
                source.Open();
                using (var busy = source.CreateCommand())
                {
                    busy.CommandText = "PRAGMA busy_timeout = 5000";
                    busy.ExecuteNonQuery();
                }
                target.Open();
                cancellationToken.ThrowIfCancellationRequested();
                source.BackupDatabase(target);
                // A self-contained file: the copy carries no WAL of its own.
                using var mode = target.CreateCommand();
                mode.CommandText = "PRAGMA journal_mode = DELETE";
                mode.ExecuteNonQuery();
            }, cancellationToken);
            File.Move(partial, targetPath, overwrite: true);
        }
        catch (SqliteException ex)
        {
            TryDelete(partial);
            throw SqliteErrors.Translate(ex, sourcePath);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
        return new BackupResult(targetPath, new FileInfo(targetPath).Length, Stopwatch.GetElapsedTime(started));
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
