using Npgsql;
using Moltworker.Kernel.State;

namespace Moltworker.Storage.Postgres.Database;

/// <summary>
/// The shared database on a PostgreSQL server (<c>Moltworker:Storage:ConnectionString</c>): one pooled
/// <see cref="NpgsqlDataSource"/>, migrations of every module run once, on first use (<see cref="PostgresStartupCheck"/>
/// makes that happen at start). Several hosts may start together against one database: each migration step runs in its
/// own transaction under a transaction-scoped advisory lock, so exactly one host applies it and the others see it done.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>The advisory lock key migrations hold (any constant; "moltwork" in ASCII).</summary>
    private const long MigrationLock = 0x6d6f6c74776f726b;

    private readonly IReadOnlyList<PostgresMigration> _migrations;
    private readonly SemaphoreSlim _migrateGate = new(1, 1);
    private volatile bool _migrated;
    private readonly string _connectionString;

    public PostgresDatabase(string connectionString, IEnumerable<PostgresMigration> migrations)
    {
        NpgsqlConnectionStringBuilder builder;
        try { builder = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new StorageException($"Moltworker:Storage:ConnectionString is not a valid PostgreSQL connection string: {ex.Message} " +
                                       "Expected e.g. Host=db.example;Port=5432;Database=moltworker;Username=moltworker;Password=….", ex);
        }
        Target = PostgresTarget.Of(builder);
        PoolDefaults.Apply(builder, connectionString);
        _connectionString = builder.ConnectionString;
        DataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        _migrations = migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version).ToList();
    }

    /// <summary>Server, database and user, for messages and /healthz.</summary>
    public PostgresTarget Target { get; }

    /// <summary>The pool every store's connections come from.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Every schema step this database is opened with, by module and version.</summary>
    public IReadOnlyList<PostgresMigration> Migrations => _migrations;

    /// <summary>Connects and applies what is missing of the schema; throws <see cref="StorageException"/> with the reason
    /// (unreachable, password refused, no such database, schema from a newer version).</summary>
    public Task EnsureReadyAsync(CancellationToken cancellationToken = default) =>
        _migrated ? Task.CompletedTask : MigrateAsync(cancellationToken);

    /// <summary>A connection of its own, outside the pool, for session state that must end with it (the leader's
    /// advisory lock: when the connection or the process dies, the server releases the lock).</summary>
    public async Task<NpgsqlConnection> OpenDedicatedAsync(CancellationToken cancellationToken)
    {
        if (!_migrated) await MigrateAsync(cancellationToken);
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw PostgresErrors.Translate(ex, Target);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection, translating failures into <see cref="StorageException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken = default)
    {
        if (!_migrated) await MigrateAsync(cancellationToken);
        try
        {
            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
            return await work(connection);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException) { throw PostgresErrors.Translate(ex, Target); }
    }

    public Task RunAsync(Func<NpgsqlConnection, Task> work, CancellationToken cancellationToken = default) =>
        RunAsync(async c => { await work(c); return true; }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction (committed when it returns, rolled back when it throws).</summary>
    public Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken = default) =>
        RunAsync(async c =>
        {
            await using var tx = await c.BeginTransactionAsync(cancellationToken);
            var result = await work(c, tx);
            await tx.CommitAsync(cancellationToken);
            return result;
        }, cancellationToken);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _migrateGate.WaitAsync(cancellationToken);
        try
        {
            if (_migrated) return;
            await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
            await InLockedTransaction(connection, async tx =>
            {
                await Exec(connection, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (module, version))", cancellationToken);
                await PostgresSchemaGuard.CheckAsync(connection, tx, _migrations, Target, cancellationToken);
            }, cancellationToken);
            foreach (var migration in _migrations)
            {
                await InLockedTransaction(connection, async tx =>
                {
                    await using var check = new NpgsqlCommand("SELECT count(*) FROM schema_migrations WHERE module = @m AND version = @v", connection, tx);
                    check.Parameters.AddWithValue("m", migration.Module);
                    check.Parameters.AddWithValue("v", migration.Version);
                    if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0) return;
                    await Exec(connection, tx, migration.Sql, cancellationToken);
                    await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (module, version, applied_at) VALUES (@m, @v, now())", connection, tx);
                    record.Parameters.AddWithValue("m", migration.Module);
                    record.Parameters.AddWithValue("v", migration.Version);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }, cancellationToken);
            }
            _migrated = true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException) { throw PostgresErrors.Translate(ex, Target); }
        finally { _migrateGate.Release(); }
    }

    private static async Task InLockedTransaction(NpgsqlConnection connection, Func<NpgsqlTransaction, Task> work, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await Exec(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellationToken);
        await work(tx);
        await tx.CommitAsync(cancellationToken);
    }

    private static async Task Exec(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
