using Microsoft.Data.Sqlite;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Connections to a standalone SQLite file (tests, benchmarks) in WAL mode with a busy timeout; the
/// knowledge schema is applied on first open. The host uses <see cref="SharedDatabaseConnectionFactory"/>.</summary>
public sealed class FileConnectionFactory : IKnowledgeConnectionFactory
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private int _walSet;
    private volatile bool _migrated;

    public FileConnectionFactory(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Interlocked.Exchange(ref _walSet, 1) == 0
            ? "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;"
            : "PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (!_migrated)
        {
            await _schemaGate.WaitAsync(cancellationToken);
            try
            {
                if (!_migrated) await KnowledgeSchema.EnsureAsync(connection, cancellationToken);
                _migrated = true;
            }
            finally { _schemaGate.Release(); }
        }
        return connection;
    }
}
