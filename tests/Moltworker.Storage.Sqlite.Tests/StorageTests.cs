using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Stores;

namespace Moltworker.Storage.Sqlite.Tests;

public sealed class StorageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-storage-tests", Guid.NewGuid().ToString("N"));

    private SqliteDatabase Db(params SqliteMigration[] extra) =>
        new(Options.Create(new StorageOptions { DataDirectory = _dir }), [.. CoreMigrations.All, .. extra]);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Pooled_connections_keep_the_pragmas_that_are_set_once_per_native_handle()
    {
        var db = Db();
        for (var i = 0; i < 3; i++)
        {
            var (foreignKeys, busy, synchronous) = await db.RunAsync(async c =>
            {
                await using var command = c.CreateCommand();
                command.CommandText = "SELECT * FROM pragma_foreign_keys, pragma_busy_timeout, pragma_synchronous";
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            });
            Assert.Equal((1L, 5000L, 1L), (foreignKeys, busy, synchronous));   // synchronous 1 = NORMAL
        }
        SqliteConnection.ClearAllPools();   // new native handles get them too
        Assert.Equal(1L, await db.RunAsync(async c =>
        {
            await using var command = c.CreateCommand();
            command.CommandText = "PRAGMA foreign_keys";
            return (long)(await command.ExecuteScalarAsync())!;
        }));
    }

    [Fact]
    public async Task Migrations_are_idempotent_and_versioned_per_module()
    {
        var extra = new SqliteMigration("extra", 1, "CREATE TABLE extra_things (id INTEGER PRIMARY KEY);");
        await new SqliteKeyValueStore(Db(extra), TimeProvider.System).SetAsync("a", "1", default);
        // A second database object on the same file (a restart) must not re-run anything.
        var again = new SqliteKeyValueStore(Db(extra), TimeProvider.System);
        Assert.Equal("1", await again.GetAsync("a", default));
        await using var c = new SqliteConnection($"Data Source={Path.Combine(_dir, "moltworker.db")}");
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT group_concat(module || ':' || version) FROM (SELECT * FROM schema_migrations ORDER BY module, version)";
        Assert.Equal("core:1,core:2,extra:1", await cmd.ExecuteScalarAsync());
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_corrupt_database_gives_a_clear_error()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "moltworker.db"), new string('z', 8192));
        var store = new SqliteKeyValueStore(Db(), TimeProvider.System);

        var ex = await Assert.ThrowsAsync<StorageException>(() => store.GetAsync("a", default));
        Assert.Contains("corrupt or not a SQLite database", ex.Message);
    }

    [Fact]
    public async Task A_failed_write_loses_nothing_already_committed()
    {
        var db = Db();
        var kv = new SqliteKeyValueStore(db, TimeProvider.System);
        await kv.SetAsync("kept", "yes", default);
        // A write that fails inside its transaction (here: a constraint) must leave earlier data intact.
        var failing = db.RunAsync(async c =>
        {
            await using var tx = c.BeginTransaction();
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO kv (key, value, updated_at) VALUES ('x', 'y', 'now'); INSERT INTO kv (key, value, updated_at) VALUES ('kept', NULL, 'now');";
            await cmd.ExecuteNonQueryAsync();
            tx.Commit();
        });
        await Assert.ThrowsAsync<StorageException>(() => failing);
        Assert.Equal("yes", await kv.GetAsync("kept", default));
        Assert.Null(await kv.GetAsync("x", default));
    }
}
