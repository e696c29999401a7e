using Microsoft.Data.Sqlite;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Connections to a knowledge base in its own SQLite file (<c>Moltworker:Knowledge:SqlitePath</c>, tests,
/// benchmarks): a <see cref="SqliteDatabase"/> with the knowledge migrations only (<see cref="KnowledgeSchema.OpenFile"/>),
/// so the host's WAL, busy timeout, checkpoint and migration rules apply. The host's own database is reached through
/// <see cref="SharedDatabaseConnectionFactory"/>.</summary>
public sealed class FileConnectionFactory(string path) : IKnowledgeConnectionFactory
{
    /// <summary>The file's database (the host runs a <see cref="WalCheckpointService"/> on it).</summary>
    public SqliteDatabase Database { get; } = KnowledgeSchema.OpenFile(path);

    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => Database.OpenAsync(cancellationToken);
}
