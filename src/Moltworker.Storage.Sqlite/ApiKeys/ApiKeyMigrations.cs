using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.ApiKeys;

/// <summary>Schema of the "apikeys" module: the HTTP API's keys, stored as SHA-256 hashes.</summary>
public static class ApiKeyMigrations
{
    public static readonly SqliteMigration V1 = new("apikeys", 1, """
        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            scopes TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT);
        CREATE UNIQUE INDEX ix_api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
        """);

    /// <summary>Every step of the module, in order.</summary>
    public static IReadOnlyList<SqliteMigration> All => [V1];
}
