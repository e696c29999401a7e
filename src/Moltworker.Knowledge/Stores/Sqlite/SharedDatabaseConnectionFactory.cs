using Microsoft.Data.Sqlite;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Connections to the host's shared database (<c>moltworker.db</c>), whose migrations include the
/// knowledge module (registered by <c>AddKnowledge</c>).</summary>
public sealed class SharedDatabaseConnectionFactory(SqliteDatabase database) : IKnowledgeConnectionFactory
{
    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);
}
