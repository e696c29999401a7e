using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Storage.Sqlite.Database;

/// <summary>
/// The embedded database: one file <c>moltworker.db</c> in <c>Moltworker:DataDirectory</c>, WAL journal,
/// busy_timeout, foreign keys. Migrations of every module run once, on first use. <see cref="ForFile"/> opens another
/// file (a given path and set of migrations) under the same rules.
/// </summary>
public sealed class SqliteDatabase
{
    /// <summary>How long a statement waits for a lock held by another connection before failing with "busy".</summary>
    private const int BusyTimeoutMs = 5000;

    private readonly IReadOnlyList<SqliteMigration> _migrations;
    private readonly SqliteFileSettings _settings;
    private readonly SemaphoreSlim _migrateGate = new(1, 1);
    private readonly ConditionalWeakTable<sqlite3, AppliedPragmas> _configured = new();
    private volatile bool _migrated;

    public SqliteDatabase(IOptions<StorageOptions> options, IEnumerable<SqliteMigration> migrations)
        : this(DatabaseFiles.MainPath(options.Value), migrations,
            new SqliteFileSettings { ConnectionPragmas = options.Value.SqliteCacheKb > 0 ? $"PRAGMA cache_size = -{options.Value.SqliteCacheKb};" : null })
    {
    }

    private SqliteDatabase(string path, IEnumerable<SqliteMigration> migrations, SqliteFileSettings settings)
    {
        Path = path;
        Directory = DatabaseFiles.FolderOf(path);
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _migrations = migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version).ToList();
        _settings = settings;
    }

    /// <summary>A database in its own file (e.g. the knowledge base's <c>Moltworker:Knowledge:SqlitePath</c>, tests,
    /// benchmarks) with only <paramref name="migrations"/>, under the same connection, pragma, migration and checkpoint
    /// rules as the host's <c>moltworker.db</c>, plus <paramref name="settings"/>.</summary>
    public static SqliteDatabase ForFile(string path, IEnumerable<SqliteMigration> migrations, SqliteFileSettings? settings = null) =>
        new(System.IO.Path.GetFullPath(path), migrations, settings ?? new SqliteFileSettings());

    public string Directory { get; }
    public string Path { get; }
    public string ConnectionString { get; }

    /// <summary>Every schema step this database is opened with, by module and version.</summary>
    public IReadOnlyList<SqliteMigration> Migrations => _migrations;

    /// <summary>While true (a <see cref="WalCheckpointService"/> runs), connections open with SQLite's automatic
    /// checkpoints off, so that no commit pays for copying the WAL back.</summary>
    public bool CheckpointsInBackground { get; set; }

    /// <summary>A PASSIVE checkpoint: copies what it can of the WAL into the database without waiting for, or
    /// blocking, readers and writers.</summary>
    public Task CheckpointAsync(CancellationToken cancellationToken = default) => CheckpointAsync("PASSIVE", cancellationToken);

    /// <summary>How long a TRUNCATE checkpoint waits for the writer of the moment and for readers of older snapshots.
    /// Writers wait while it waits, so it must be short: a long reader (an online backup reads one snapshot for
    /// seconds) would otherwise stall every turn for the whole busy timeout.</summary>
    public static readonly TimeSpan TruncateWait = TimeSpan.FromMilliseconds(20);

    /// <summary>A TRUNCATE checkpoint: waits up to <see cref="TruncateWait"/> for the writer of the moment and for
    /// readers of older snapshots, copies the rest of the WAL and truncates it to zero bytes. Writers wait while it runs.
    /// False when it gave up because they were still busy (try again later; nothing is lost).</summary>
    public Task<bool> TruncateWalAsync(CancellationToken cancellationToken = default) => RunAsync(async connection =>
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout = {(int)TruncateWait.TotalMilliseconds}";
        await command.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) == 0; // busy, log frames, checkpointed frames
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6) // SQLITE_BUSY, SQLITE_LOCKED
        {
            return false;
        }
        finally
        {
            command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }, cancellationToken);

    /// <summary>Size of the WAL file in bytes (0 when there is none).</summary>
    public long WalBytes => new FileInfo(Path + "-wal") is { Exists: true } wal ? wal.Length : 0;

    private Task CheckpointAsync(string mode, CancellationToken cancellationToken) => RunAsync(async connection =>
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }, cancellationToken);

    /// <summary>An open connection with the pragmas set; migrations applied. Dispose it when done.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!_migrated) await MigrateAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on a fresh connection, translating SQLite failures into <see cref="StorageException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await work(connection);
        }
        catch (SqliteException ex) { throw SqliteErrors.Translate(ex, Path); }
    }

    public Task RunAsync(Func<SqliteConnection, Task> work, CancellationToken cancellationToken = default) =>
        RunAsync(async c => { await work(c); return true; }, cancellationToken);

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Pragmas live on the native handle, which the pool keeps open: set them once per handle (and again when the
            // checkpoint mode changed), not on every open; a turn opens about ten connections.
            var background = CheckpointsInBackground;
            if (connection.Handle is { } handle && (!_configured.TryGetValue(handle, out var applied) || applied.Background != background))
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMs}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = "
                    + (background ? "0;" : "1000;") + _settings.ConnectionPragmas;
                await pragma.ExecuteNonQueryAsync(cancellationToken);
                _configured.AddOrUpdate(handle, new AppliedPragmas(background));
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _migrateGate.WaitAsync(cancellationToken);
        try
        {
            if (_migrated) return;
            try
            {
                System.IO.Directory.CreateDirectory(Directory);
                await using var connection = await OpenRawAsync(cancellationToken);
                await Exec(connection, null, "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL, PRIMARY KEY (module, version));", cancellationToken);
                foreach (var legacy in _settings.LegacyVersions)
                    await LegacyVersionAdoption.AdoptAsync(connection, legacy, DateTimeOffset.UtcNow, cancellationToken);
                await SchemaVersionGuard.CheckAsync(connection, _migrations, Path, cancellationToken);
                foreach (var migration in _migrations)
                {
                    await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                    await using var check = connection.CreateCommand();
                    check.Transaction = tx;
                    check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE module = $m AND version = $v";
                    check.Parameters.AddWithValue("$m", migration.Module);
                    check.Parameters.AddWithValue("$v", migration.Version);
                    if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0) continue;
                    await Exec(connection, tx, migration.Sql, cancellationToken);
                    await using var record = connection.CreateCommand();
                    record.Transaction = tx;
                    record.CommandText = "INSERT INTO schema_migrations (module, version, applied_at) VALUES ($m, $v, $t)";
                    record.Parameters.AddWithValue("$m", migration.Module);
                    record.Parameters.AddWithValue("$v", migration.Version);
                    record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
                    await record.ExecuteNonQueryAsync(cancellationToken);
                    await tx.CommitAsync(cancellationToken);
                }
                _migrated = true;
            }
            catch (SqliteException ex) { throw SqliteErrors.Translate(ex, Path); }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw new StorageException($"Cannot create the data directory {Directory}: {ex.Message}", ex);
            }
        }
        finally { _migrateGate.Release(); }
    }

    private static async Task Exec(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>What <see cref="SqliteDatabase"/> set on one native connection.</summary>
internal sealed record AppliedPragmas(bool Background);
