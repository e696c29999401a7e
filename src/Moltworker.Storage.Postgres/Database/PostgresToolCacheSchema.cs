namespace Moltworker.Storage.Postgres.Database;

/// <summary>The "toolcache" module (version 1, as on SQLite): the durable level of the tool-result cache, and the
/// transaction log's flag for calls the cache answered. It alters <c>transactions</c>; modules run in name order, so the
/// "journal" module that creates it has run.</summary>
public static class PostgresToolCacheSchema
{
    public static readonly PostgresMigration ToolCacheV1 = new("toolcache", 1, """
        CREATE TABLE tool_cache (
            key TEXT PRIMARY KEY,
            value BYTEA NOT NULL,
            expires_at TIMESTAMPTZ,
            sliding_ms BIGINT,
            absolute_at TIMESTAMPTZ);
        CREATE INDEX ix_tool_cache_expires_at ON tool_cache (expires_at) WHERE expires_at IS NOT NULL;
        ALTER TABLE transactions ADD COLUMN cached BOOLEAN NOT NULL DEFAULT false;
        """);
}
