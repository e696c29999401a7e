using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Moltworker.Storage.Sqlite.Database;

/// <summary>Moves the records of <see cref="SqliteLegacyVersions"/> tables into <c>schema_migrations</c> (see there).</summary>
internal static partial class LegacyVersionAdoption
{
    public static async Task AdoptAsync(SqliteConnection connection, SqliteLegacyVersions legacy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Identifier().IsMatch(legacy.Table)) throw new ArgumentException($"'{legacy.Table}' is not a plain table name.", nameof(legacy));
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var exists = connection.CreateCommand())
        {
            exists.Transaction = tx;
            exists.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $t";
            exists.Parameters.AddWithValue("$t", legacy.Table);
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0) return;
        }
        await using (var adopt = connection.CreateCommand())
        {
            adopt.Transaction = tx;
            adopt.CommandText = $"""
                INSERT OR IGNORE INTO schema_migrations (module, version, applied_at)
                    SELECT $m, version, COALESCE(applied_at, $now) FROM "{legacy.Table}";
                DROP TABLE "{legacy.Table}";
                """;
            adopt.Parameters.AddWithValue("$m", legacy.Module);
            adopt.Parameters.AddWithValue("$now", now.ToString("O"));
            await adopt.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
