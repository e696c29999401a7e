namespace Moltworker.Storage.Postgres.Database;

/// <summary>The "compaction" module (version 1, as on SQLite): the summaries that replace older messages of a
/// conversation, one row per replaced range, named by the last message it replaces.</summary>
public static class PostgresCompactionSchema
{
    public static readonly PostgresMigration CompactionV1 = new("compaction", 1, """
        CREATE TABLE conversation_summaries (
            conversation_key TEXT NOT NULL,
            generation INTEGER NOT NULL,
            through_id BIGINT NOT NULL,
            summary TEXT NOT NULL,
            messages INTEGER NOT NULL,
            tokens_before INTEGER NOT NULL,
            tokens_after INTEGER NOT NULL,
            truncated BOOLEAN NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (conversation_key, generation, through_id));
        """);
}
