using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Caching;

/// <summary>Schema of the "toolcache" module: the durable level of the tool-result cache (<c>tool_cache</c>), and the
/// transaction log's flag for calls the cache answered. It alters <c>transactions</c>, so it is registered with the
/// journal module, whose steps run first (modules run in name order).</summary>
public static class ToolCacheMigrations
{
    public static readonly SqliteMigration V1 = new("toolcache", 1, """
        CREATE TABLE tool_cache (
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL,
            expires_at TEXT,
            sliding_ms INTEGER,
            absolute_at TEXT);
        CREATE INDEX ix_tool_cache_expires_at ON tool_cache (expires_at) WHERE expires_at IS NOT NULL;
        ALTER TABLE transactions ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;
        """);

    public static IReadOnlyList<SqliteMigration> All => [V1];
}
