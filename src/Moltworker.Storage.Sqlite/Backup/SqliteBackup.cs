using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;
using SQLitePCL;

namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>
/// An online, consistent copy of a SQLite database with SQLite's backup API, while other connections (a running host)
/// keep reading and writing: the copy holds one read transaction (one WAL snapshot) from the first page to the last, which
/// never blocks writers, and copies it in steps with a pause between them (<see cref="BackupPace"/>) so the host's turns
/// are not starved of disk and CPU while a large file is copied. Because the snapshot is held across steps, writes
/// made meanwhile never restart the copy. The copy is written to <c>&lt;target&gt;.partial</c> beside the target and
/// renamed when complete, so a target file is always a whole backup. The source is opened as it is: nothing is migrated
/// (a backup taken before an upgrade stays the old version).
/// </summary>
public static class SqliteBackup
{
    /// <summary>A backup at <see cref="BackupPace.Default"/>.</summary>
    public static Task<BackupResult> BackupAsync(string sourcePath, string targetPath, CancellationToken cancellationToken = default) =>
        BackupAsync(sourcePath, targetPath, BackupPace.Default, null, cancellationToken);

    /// <param name="time">Times each step and waits the pause after it (the system clock when null).</param>
    public static async Task<BackupResult> BackupAsync(string sourcePath, string targetPath, BackupPace pace, TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pace);
        ArgumentOutOfRangeException.ThrowIfLessThan(pace.PagesPerStep, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(pace.PauseRatio);
        time ??= TimeProvider.System;
        sourcePath = Path.GetFullPath(sourcePath);
        targetPath = Path.GetFullPath(targetPath);
        if (!File.Exists(sourcePath)) throw new StorageException($"There is no database at {sourcePath} to back up (check Moltworker:DataDirectory).");
        if (string.Equals(sourcePath, targetPath, StringComparison.Ordinal)) throw new StorageException("The backup file cannot be the database itself.");
        if (Path.GetDirectoryName(targetPath) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        var partial = targetPath + ".partial";
        File.Delete(partial);
        var started = Stopwatch.GetTimestamp();
        int steps;
        try
        {
            steps = await Task.Run(() => CopyAsync(sourcePath, partial, pace, time, cancellationToken), cancellationToken);
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
        return new BackupResult(targetPath, new FileInfo(targetPath).Length, Stopwatch.GetElapsedTime(started), steps);
    }

    private static async Task<int> CopyAsync(string sourcePath, string partial, BackupPace pace, TimeProvider time, CancellationToken cancellationToken)
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
        // One snapshot for every step: a read transaction opened here stays open until the last page is copied.
        using (var snapshot = source.BeginTransaction(deferred: true))
        {
            using (var read = source.CreateCommand())
            {
                read.Transaction = snapshot;
                read.CommandText = "SELECT count(*) FROM sqlite_schema";
                read.ExecuteScalar();
            }
            var backup = raw.sqlite3_backup_init(target.Handle, "main", source.Handle, "main");
            if (backup is null || backup.IsInvalid) SqliteException.ThrowExceptionForRC(raw.sqlite3_errcode(target.Handle), target.Handle);
            var steps = 0;
            var rc = raw.SQLITE_OK;
            try
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var stepStarted = time.GetTimestamp();
                    rc = raw.sqlite3_backup_step(backup, pace.PagesPerStep);
                    steps++;
                    if (rc == raw.SQLITE_DONE) break;
                    if (rc is not (raw.SQLITE_OK or raw.SQLITE_BUSY or raw.SQLITE_LOCKED)) break;
                    var pause = time.GetElapsedTime(stepStarted) * pace.PauseRatio;
                    if (rc != raw.SQLITE_OK && pause < RetryPause) pause = RetryPause;
                    if (pause > TimeSpan.Zero) await Task.Delay(pause, time, cancellationToken);
                }
            }
            finally
            {
                var finish = raw.sqlite3_backup_finish(backup);
                if (rc == raw.SQLITE_DONE) rc = finish;
            }
            if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE)) SqliteException.ThrowExceptionForRC(rc, target.Handle);
            snapshot.Rollback();
            // A self-contained file: the copy carries no WAL of its own.
            using var mode = target.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode = DELETE";
            mode.ExecuteNonQuery();
            return steps;
        }
    }

    /// <summary>How long to wait before trying a step again when the target was busy.</summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(10);

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
