using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Testing.Time;

namespace Moltworker.Storage.Sqlite.Tests;

public sealed class WalCheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-wal-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private (SqliteDatabase Db, WalCheckpointService Service) Create(TimeSpan interval, int truncateAboveMb = 16)
    {
        var options = Options.Create(new StorageOptions { DataDirectory = _dir, WalCheckpointInterval = interval, WalTruncateAboveMb = truncateAboveMb });
        var db = new SqliteDatabase(options, [CoreMigrations.V1]);
        return (db, new WalCheckpointService(db, options, _time, NullLogger<WalCheckpointService>.Instance));
    }

    private static async Task<long> AutoCheckpointPagesAsync(SqliteDatabase db) => await db.RunAsync(async connection =>
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint";
        return (long)(await command.ExecuteScalarAsync())!;
    });

    [Fact]
    public async Task Commits_skip_sqlite_automatic_checkpoints_only_while_the_service_runs()
    {
        var (db, service) = Create(TimeSpan.FromSeconds(1));
        Assert.Equal(1000, await AutoCheckpointPagesAsync(db));

        await service.StartAsync(CancellationToken.None);
        await _time.WaitForPendingTimersAsync();
        Assert.Equal(0, await AutoCheckpointPagesAsync(db));

        await service.StopAsync(CancellationToken.None);
        Assert.Equal(1000, await AutoCheckpointPagesAsync(db));
    }

    [Fact]
    public async Task Each_tick_copies_the_wal_into_the_database_file()
    {
        var (db, service) = Create(TimeSpan.FromSeconds(1));
        await service.StartAsync(CancellationToken.None);
        await _time.WaitForPendingTimersAsync();
        // SQLite checkpoints when the last connection closes, and other test classes clear the pools at any time.
        await using var keepOpen = await db.OpenAsync();
        await db.RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE blobs (data BLOB); INSERT INTO blobs VALUES (zeroblob(2000000));";
            await command.ExecuteNonQueryAsync();
        });
        var before = new FileInfo(db.Path).Length;
        Assert.True(new FileInfo(db.Path + "-wal").Length > 2_000_000, "the write waits in the WAL");

        _time.Advance(TimeSpan.FromSeconds(1));
        await _time.WaitForPendingTimersAsync();   // the loop waits again: the checkpoint is done

        Assert.True(new FileInfo(db.Path).Length >= before + 2_000_000, "the checkpoint copied the WAL into the database");
        await service.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(16, false)]
    public async Task A_wal_left_over_the_limit_is_truncated_so_it_cannot_grow_without_bound(int truncateAboveMb, bool truncated)
    {
        var (db, service) = Create(TimeSpan.FromSeconds(1), truncateAboveMb);
        await service.StartAsync(CancellationToken.None);
        await _time.WaitForPendingTimersAsync();
        await using var keepOpen = await db.OpenAsync();   // no last-connection checkpoint from SQLite itself
        await db.RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE blobs (data BLOB); INSERT INTO blobs VALUES (zeroblob(3000000));";
            await command.ExecuteNonQueryAsync();
        });
        Assert.True(db.WalBytes > 3_000_000);

        _time.Advance(TimeSpan.FromSeconds(1));
        await _time.WaitForPendingTimersAsync();

        Assert.Equal(truncated, db.WalBytes == 0);
        Assert.True(new FileInfo(db.Path).Length >= 3_000_000, "the data is in the database file either way");
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_truncate_gives_up_at_once_while_a_reader_holds_an_old_snapshot_and_writers_go_on()
    {
        var (db, _) = Create(TimeSpan.FromSeconds(1));
        await using var keepOpen = await db.OpenAsync();
        await ExecAsync(db, "CREATE TABLE rows (n INTEGER); INSERT INTO rows VALUES (1);");
        await using var reader = await db.OpenAsync(); // an online backup: one read transaction on one snapshot
        await using (var begin = reader.CreateCommand())
        {
            begin.CommandText = "BEGIN; SELECT count(*) FROM rows;";
            await begin.ExecuteScalarAsync();
        }
        await ExecAsync(db, "INSERT INTO rows VALUES (2);"); // the reader's snapshot is now an old one

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(await db.TruncateWalAsync());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}: it waited for the busy timeout (5 s)");
        await ExecAsync(db, "INSERT INTO rows VALUES (3);"); // writers are not held up afterwards

        await using (var end = reader.CreateCommand())
        {
            end.CommandText = "COMMIT";
            await end.ExecuteNonQueryAsync();
        }
        Assert.True(await db.TruncateWalAsync());
        Assert.Equal(0, db.WalBytes);
    }

    private static Task ExecAsync(SqliteDatabase db, string sql) => db.RunAsync(async connection =>
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    });

    [Fact]
    public async Task A_zero_interval_leaves_checkpoints_to_sqlite()
    {
        var (db, service) = Create(TimeSpan.Zero);
        await service.StartAsync(CancellationToken.None);
        Assert.Equal(0, _time.PendingTimers);
        Assert.Equal(1000, await AutoCheckpointPagesAsync(db));
        await service.StopAsync(CancellationToken.None);
    }
}
