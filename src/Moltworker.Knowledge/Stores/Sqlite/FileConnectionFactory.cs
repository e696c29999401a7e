using Microsoft.Data.Sqlite;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Connections to one SQLite file in WAL mode with a busy timeout, so readers and one writer from
/// several threads (and processes: the CLI while the host runs) get along.</summary>
public sealed class FileConnectionFactory : IKnowledgeConnectionFactory
{
    private readonly string _connectionString;
    private int _walSet;

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
        DatabasePath = full;
    }

    public string DatabasePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Interlocked.Exchange(ref _walSet, 1) == 0
            ? "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL;"
            : "PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
