using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Memory;

/// <summary>The "memory" module (version 1, as on SQLite): long-term memories per user, in a module of its own.
/// <c>embedding</c> holds the float32 vector as bytes (the same layout as SQLite's blob).</summary>
public static class PostgresMemorySchema
{
    public static readonly PostgresMigration MemoryV1 = new("memory", 1, """
        CREATE TABLE memories (
            id TEXT PRIMARY KEY,
            user_key TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            embedding BYTEA);
        CREATE INDEX ix_memories_user ON memories (user_key, created_at);
        """);
}
