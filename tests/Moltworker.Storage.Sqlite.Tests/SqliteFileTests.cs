using Microsoft.Data.Sqlite;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Tests;

/// <summary><see cref="SqliteDatabase.ForFile"/>: another file under the host's rules, its extra pragmas, and the
/// adoption of an older module-own version table.</summary>
public sealed class SqliteFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-file-tests", Guid.NewGuid().ToString("N"));

    private static readonly SqliteMigration NotesV1 = new("notes", 1, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);");
    private static readonly SqliteMigration NotesV2 = new("notes", 2, "ALTER TABLE notes ADD COLUMN tag TEXT;");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string File(string name) => Path.Combine(_dir, "sub", name);

    private static async Task<object?> ScalarAsync(SqliteDatabase db, string sql) => await db.RunAsync(async c =>
    {
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    });

    [Fact]
    public async Task A_file_gets_the_hosts_pragmas_its_own_extras_and_only_its_migrations()
    {
        var db = SqliteDatabase.ForFile(File("notes.db"), [NotesV1, NotesV2],
            new SqliteFileSettings { ConnectionPragmas = "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -8192;" });

        Assert.Equal(Path.GetFullPath(File("notes.db")), db.Path);
        Assert.Equal("wal", await ScalarAsync(db, "PRAGMA journal_mode"));
        Assert.Equal(5000L, await ScalarAsync(db, "PRAGMA busy_timeout"));
        Assert.Equal(1L, await ScalarAsync(db, "PRAGMA foreign_keys"));
        Assert.Equal(268435456L, await ScalarAsync(db, "PRAGMA mmap_size"));
        Assert.Equal(-8192L, await ScalarAsync(db, "PRAGMA cache_size"));
        Assert.Equal("1,2", await ScalarAsync(db, "SELECT group_concat(version) FROM (SELECT version FROM schema_migrations WHERE module = 'notes' ORDER BY version)"));
        Assert.Equal(0L, await ScalarAsync(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'conversations'"));
        db.CheckpointsInBackground = true;
        Assert.Equal(0L, await ScalarAsync(db, "PRAGMA wal_autocheckpoint"));
    }

    [Fact]
    public async Task Versions_recorded_in_an_older_table_are_adopted_and_not_run_again()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File("old.db"))!);
        await using (var old = new SqliteConnection($"Data Source={File("old.db")};Pooling=False"))
        {
            await old.OpenAsync();
            await using var setup = old.CreateCommand();
            // Version 1 was applied and recorded the old way; running it again would fail (the table exists).
            setup.CommandText = NotesV1.Sql + """
                INSERT INTO notes (text) VALUES ('kept');
                CREATE TABLE notes_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
                INSERT INTO notes_schema VALUES (1, '2025-12-24T10:00:00.0000000+00:00');
                """;
            await setup.ExecuteNonQueryAsync();
        }

        var db = SqliteDatabase.ForFile(File("old.db"), [NotesV1, NotesV2],
            new SqliteFileSettings { LegacyVersions = [new SqliteLegacyVersions("notes", "notes_schema")] });

        Assert.Equal("kept", await ScalarAsync(db, "SELECT text FROM notes"));
        Assert.Equal("2025-12-24T10:00:00.0000000+00:00", await ScalarAsync(db, "SELECT applied_at FROM schema_migrations WHERE module = 'notes' AND version = 1"));
        Assert.Equal(1L, await ScalarAsync(db, "SELECT COUNT(*) FROM schema_migrations WHERE module = 'notes' AND version = 2"));
        Assert.Equal(1L, await ScalarAsync(db, "SELECT COUNT(*) FROM pragma_table_info('notes') WHERE name = 'tag'"));
        Assert.Equal(0L, await ScalarAsync(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'notes_schema'"));

        // Opening again (a fresh instance, as after a restart) finds nothing left to adopt or run.
        var again = SqliteDatabase.ForFile(File("old.db"), [NotesV1, NotesV2],
            new SqliteFileSettings { LegacyVersions = [new SqliteLegacyVersions("notes", "notes_schema")] });
        Assert.Equal(2L, await ScalarAsync(again, "SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Without_the_adoption_an_older_file_fails_loudly_instead_of_half_migrating()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(File("plain.db"))!);
        await using (var old = new SqliteConnection($"Data Source={File("plain.db")};Pooling=False"))
        {
            await old.OpenAsync();
            await using var setup = old.CreateCommand();
            setup.CommandText = NotesV1.Sql;
            await setup.ExecuteNonQueryAsync();
        }
        var db = SqliteDatabase.ForFile(File("plain.db"), [NotesV1]);
        var error = await Assert.ThrowsAsync<StorageException>(() => ScalarAsync(db, "SELECT 1"));
        Assert.Contains("already exists", error.Message);
    }
}
