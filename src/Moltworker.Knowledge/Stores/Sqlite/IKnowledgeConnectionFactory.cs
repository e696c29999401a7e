using Microsoft.Data.Sqlite;

namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>Opens connections to the database that holds the knowledge tables (ready to use: pragmas set).</summary>
public interface IKnowledgeConnectionFactory
{
    Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken);
}
