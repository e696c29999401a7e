namespace Moltworker.Storage.Sqlite.Database;

/// <summary>Schema of the core module: conversations, messages, inbox, key-value settings.</summary>
public static class CoreMigrations
{
    public static readonly SqliteMigration V1 = new("core", 1, """
        CREATE TABLE conversations (
            key TEXT PRIMARY KEY,
            generation INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_key TEXT NOT NULL REFERENCES conversations(key),
            generation INTEGER NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            content_json TEXT NOT NULL,
            tool_calls INTEGER NOT NULL DEFAULT 0,
            model TEXT,
            input_tokens INTEGER,
            output_tokens INTEGER,
            created_at TEXT NOT NULL);
        CREATE INDEX ix_messages_conversation ON messages (conversation_key, generation, id);
        CREATE TABLE inbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source TEXT NOT NULL,
            external_id TEXT NOT NULL,
            order_key TEXT NOT NULL,
            payload TEXT NOT NULL,
            received_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            done_at TEXT,
            error TEXT,
            UNIQUE (source, external_id));
        CREATE INDEX ix_inbox_pending ON inbox (done_at, id);
        CREATE TABLE kv (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        """);

    /// <summary>Kept turns: one row per turn whose messages are in <c>messages</c>, keyed by the task id and written in
    /// the same transaction, so that a resumed task never appends its turn twice.</summary>
    public static readonly SqliteMigration V2 = new("core", 2, """
        CREATE TABLE turns (
            id TEXT PRIMARY KEY,
            conversation_key TEXT NOT NULL,
            answer TEXT NOT NULL,
            kept_at TEXT NOT NULL);
        """);

    /// <summary>Every step of the module, in order.</summary>
    public static IReadOnlyList<SqliteMigration> All => [V1, V2];
}
