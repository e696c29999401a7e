using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Backup;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Tests.Backup;

/// <summary><see cref="SqliteBackup"/> under concurrent writes, and what <see cref="SqliteRestore"/> accepts and refuses.</summary>
public sealed class BackupRestoreTests : IDisposable
{
    private static readonly SqliteMigration Rows = new("rows", 1, "CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-backup-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private SqliteDatabase Open(string folder, params SqliteMigration[] migrations) =>
        new(Options.Create(new StorageOptions { DataDirectory = Path.Combine(_dir, folder) }), migrations.Length == 0 ? [Rows] : migrations);

    private static Task<object?> ScalarAsync(SqliteDatabase db, string sql) => db.RunAsync(async c =>
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    });

    private static async Task InsertAsync(SqliteDatabase db, int id) => await db.RunAsync(async c =>
    {
        await using var command = c.CreateCommand();
        command.CommandText = "INSERT INTO rows (id, payload) VALUES ($id, $p)";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$p", new string('x', 2000));
        await command.ExecuteNonQueryAsync();
    });

    [Fact]
    public async Task A_backup_taken_while_writes_go_on_restores_to_an_intact_database_with_every_row_committed_before_it()
    {
        var live = Open("live");
        for (var i = 1; i <= 2000; i++) await InsertAsync(live, i);
        using var stop = new CancellationTokenSource();
        var next = 2001; // the next id to insert: every id below it is committed
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await InsertAsync(live, next);
                Volatile.Write(ref next, next + 1); // only once committed (next++ in the call counted a row still in flight)
            }
        });
        while (Volatile.Read(ref next) < 2050) await Task.Yield(); // the writer is well under way
        var committedBefore = Volatile.Read(ref next) - 1;

        var result = await SqliteBackup.BackupAsync(live.Path, Path.Combine(_dir, "out", "copy.db"));
        await stop.CancelAsync();
        await writer;

        Assert.False(File.Exists(result.Path + ".partial"));
        var restored = Open("restored");
        await SqliteRestore.RestoreAsync(result.Path, restored.Path, [Rows], DateTimeOffset.UtcNow);
        Assert.Equal("ok", await ScalarAsync(restored, "PRAGMA integrity_check"));
        var count = (long)(await ScalarAsync(restored, "SELECT COUNT(*) FROM rows"))!;
        var max = (long)(await ScalarAsync(restored, "SELECT MAX(id) FROM rows"))!;
        Assert.True(count >= committedBefore, $"{count} rows restored, {committedBefore} were committed before the backup started");
        Assert.Equal(max, count); // one snapshot: no row missing below the newest one copied
    }

    [Fact]
    public async Task A_backup_in_small_steps_keeps_one_snapshot_so_writes_between_steps_never_restart_it()
    {
        var live = Open("live");
        for (var i = 1; i <= 1000; i++) await InsertAsync(live, i);
        using var stop = new CancellationTokenSource();
        var written = 0;
        var writer = Task.Run(async () =>
        {
            for (var id = 1001; !stop.IsCancellationRequested; id++)
            {
                await InsertAsync(live, id);
                Interlocked.Increment(ref written);
            }
        });
        while (Volatile.Read(ref written) < 20) await Task.Yield(); // the writer is well under way

        // 4 pages a step, so the writer commits many times between the first step and the last.
        var before = Volatile.Read(ref written);
        // A copy that restarts at every write would not finish while the writer runs: a generous bound turns that into a failure.
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await SqliteBackup.BackupAsync(live.Path, Path.Combine(_dir, "stepped.db"), new BackupPace(4, 0), cancellationToken: bound.Token);
        var writtenDuring = Volatile.Read(ref written);
        await stop.CancelAsync();
        await writer;

        var pages = (int)(result.Bytes / 4096);
        Assert.True(writtenDuring > before, "the writer kept committing while the backup ran");
        // A copy restarted by a write would take more steps than its pages need.
        Assert.InRange(result.Steps, pages / 4, pages / 4 + 1);
        var copy = Open("copy");
        await SqliteRestore.RestoreAsync(result.Path, copy.Path, [Rows], DateTimeOffset.UtcNow);
        Assert.Equal("ok", await ScalarAsync(copy, "PRAGMA integrity_check"));
        Assert.Equal(await ScalarAsync(copy, "SELECT MAX(id) FROM rows"), await ScalarAsync(copy, "SELECT COUNT(*) FROM rows"));
    }

    [Fact]
    public async Task Restore_refuses_while_a_host_holds_the_data_directory_and_changes_nothing()
    {
        var source = Open("source");
        await InsertAsync(source, 1);
        var backup = await SqliteBackup.BackupAsync(source.Path, Path.Combine(_dir, "b.db"));
        var live = Open("live");
        await InsertAsync(live, 7);
        using (var held = DataDirectoryLock.TryAcquire(live.Directory))
        {
            Assert.NotNull(held);
            Assert.True(DataDirectoryLock.IsHeld(live.Directory));
            var error = await Assert.ThrowsAsync<StorageException>(() => SqliteRestore.RestoreAsync(backup.Path, live.Path, [Rows], DateTimeOffset.UtcNow));
            Assert.Contains("is using", error.Message);
            Assert.Equal(7L, await ScalarAsync(live, "SELECT MAX(id) FROM rows"));
        }
        Assert.False(DataDirectoryLock.IsHeld(live.Directory));

        var done = await SqliteRestore.RestoreAsync(backup.Path, live.Path, [Rows], new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        SqliteConnection.ClearAllPools();
        Assert.Equal(1L, await ScalarAsync(live, "SELECT MAX(id) FROM rows"));
        Assert.EndsWith("moltworker.db.before-restore-20261202-100000", done.PreviousKeptAs);
        Assert.True(File.Exists(done.PreviousKeptAs));
    }

    [Fact]
    public async Task Restore_refuses_a_backup_from_a_newer_schema_and_a_file_that_is_not_a_database()
    {
        var newer = Open("newer", Rows, Rows with { Version = 2, Sql = "ALTER TABLE rows ADD COLUMN tag TEXT;" });
        await InsertAsync(newer, 1);
        var backup = await SqliteBackup.BackupAsync(newer.Path, Path.Combine(_dir, "newer.db"));
        var target = Open("target");
        await InsertAsync(target, 5);

        var error = await Assert.ThrowsAsync<StorageException>(() => SqliteRestore.RestoreAsync(backup.Path, target.Path, [Rows], DateTimeOffset.UtcNow));
        Assert.Contains("rows v2 (this version knows up to v1)", error.Message);

        var junk = Path.Combine(_dir, "junk.db");
        await File.WriteAllTextAsync(junk, "not a database at all, just text that is long enough to look like a header........");
        await Assert.ThrowsAsync<StorageException>(() => SqliteRestore.RestoreAsync(junk, target.Path, [Rows], DateTimeOffset.UtcNow));
        Assert.Equal(5L, await ScalarAsync(target, "SELECT MAX(id) FROM rows"));
    }

    [Fact]
    public async Task A_database_from_a_newer_schema_is_refused_on_open_and_not_migrated_down()
    {
        var newer = Open("db", Rows, Rows with { Version = 2, Sql = "ALTER TABLE rows ADD COLUMN tag TEXT;" });
        await InsertAsync(newer, 1);
        SqliteConnection.ClearAllPools();

        var older = Open("db", Rows);
        var error = await Assert.ThrowsAsync<StorageException>(() => ScalarAsync(older, "SELECT COUNT(*) FROM rows"));
        Assert.Contains("newer version of Moltworker", error.Message);
        Assert.Contains("never migrated down", error.Message);
        Assert.Equal(2L, await ScalarAsync(newer, "SELECT MAX(version) FROM schema_migrations WHERE module = 'rows'"));
    }
}
