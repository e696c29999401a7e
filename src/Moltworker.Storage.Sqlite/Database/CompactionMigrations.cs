namespace Moltworker.Storage.Sqlite.Database;

/// <summary>Schema of the "compaction" module: the summaries that replace older messages of a conversation
/// (docs/decisions/0060-compaction.md). A row names the last message it replaces; a turn reads the latest row of the
/// conversation's current generation and the messages after it.</summary>
public static class CompactionMigrations
{
    public static readonly SqliteMigration V1 = new("compaction", 1, """
        CREATE TABLE conversation_summaries (
            conversation_key TEXT NOT NULL,
            generation INTEGER NOT NULL,
            through_id INTEGER NOT NULL,
            summary TEXT NOT NULL,
            messages INTEGER NOT NULL,
            tokens_before INTEGER NOT NULL,
            tokens_after INTEGER NOT NULL,
            truncated INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (conversation_key, generation, through_id));
        """);

    /// <summary>Every step of the module, in order.</summary>
    public static IReadOnlyList<SqliteMigration> All => [V1];
}
