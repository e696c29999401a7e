using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Memory;

/// <summary>Schema of the "memory" module: long-term memories per user. <c>user_key</c> is the owner
/// (<c>channel:user</c>); <c>created_ms</c> Unix milliseconds (UTC); <c>embedding</c> the float32 vector as a blob, or
/// null. Every query filters by <c>user_key</c> (the index leads with it).</summary>
public static class MemoryMigrations
{
    public static readonly SqliteMigration V1 = new("memory", 1, """
        CREATE TABLE memories (
            id TEXT PRIMARY KEY,
            user_key TEXT NOT NULL,
            text TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            embedding BLOB);
        CREATE INDEX ix_memories_user ON memories (user_key, created_ms);
        """);

    /// <summary>Every step of the module, in order.</summary>
    public static IReadOnlyList<SqliteMigration> All => [V1];
}
