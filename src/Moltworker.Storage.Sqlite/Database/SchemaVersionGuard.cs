using Microsoft.Data.Sqlite;
using Moltworker.Kernel.State;

namespace Moltworker.Storage.Sqlite.Database;

/// <summary>
/// Refuses a database written by a newer Moltworker: when <c>schema_migrations</c> records a version of a module this
/// build knows that is higher than the highest step this build has, nothing is migrated (never down) and opening fails
/// with a message saying which module and versions. Modules this build does not register (e.g. the knowledge module
/// while the knowledge base lives in Qdrant) are left alone.
/// </summary>
internal static class SchemaVersionGuard
{
    public static async Task CheckAsync(SqliteConnection connection, IReadOnlyList<SqliteMigration> migrations, string path, CancellationToken cancellationToken)
    {
        var known = migrations.GroupBy(m => m.Module, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(m => m.Version), StringComparer.Ordinal);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT module, MAX(version) FROM schema_migrations GROUP BY module ORDER BY module";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var newer = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var module = reader.GetString(0);
            var version = reader.GetInt32(1);
            if (known.TryGetValue(module, out var highest) && version > highest) newer.Add($"{module} v{version} (this version knows up to v{highest})");
        }
        if (newer.Count > 0)
            throw new StorageException($"The database {path} was written by a newer version of Moltworker: schema {string.Join(", ", newer)}. " +
                                       "It is not opened and never migrated down: run the newer version again, or restore a backup made by this version.");
    }
}
