using Npgsql;
using Moltworker.Kernel.State;

namespace Moltworker.Storage.Postgres.Database;

/// <summary>Refuses a database migrated by a newer Moltworker, as the SQLite provider does: a module recorded at a
/// higher version than this build knows stops the start with a message naming module and versions; nothing is ever
/// migrated down. Modules this build does not register are left alone.</summary>
internal static class PostgresSchemaGuard
{
    public static async Task CheckAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<PostgresMigration> migrations, PostgresTarget target, CancellationToken cancellationToken)
    {
        var known = migrations.GroupBy(m => m.Module, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(m => m.Version), StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT module, max(version) FROM schema_migrations GROUP BY module ORDER BY module", connection, tx);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var newer = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var module = reader.GetString(0);
            var version = reader.GetInt32(1);
            if (known.TryGetValue(module, out var highest) && version > highest) newer.Add($"{module} v{version} (this version knows up to v{highest})");
        }
        if (newer.Count > 0)
            throw new StorageException($"The database {target} was migrated by a newer version of Moltworker: schema {string.Join(", ", newer)}. " +
                                       "It is not used and never migrated down: run the newer version, or restore a dump made by this version.");
    }
}
