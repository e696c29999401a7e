namespace Moltworker.Storage.Postgres.Database;

/// <summary>
/// The schema, by module, with the same modules and version numbers as the SQLite provider's migrations (core 1-2,
/// journal 1, apikeys 1, feedback 1), so a step added on one side is visibly missing on the other. Times are <c>timestamptz</c>,
/// flags <c>boolean</c>, money <c>numeric</c>, ids <c>bigint</c> identities.
/// </summary>
public static class PostgresSchema
{
    public static readonly PostgresMigration CoreV1 = new("core", 1, """
        CREATE TABLE conversations (
            key TEXT PRIMARY KEY,
            generation INTEGER NOT NULL DEFAULT 0,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL);
        CREATE TABLE messages (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            conversation_key TEXT NOT NULL REFERENCES conversations(key),
            generation INTEGER NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            content_json TEXT NOT NULL,
            tool_calls INTEGER NOT NULL DEFAULT 0,
            model TEXT,
            input_tokens BIGINT,
            output_tokens BIGINT,
            created_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX ix_messages_conversation ON messages (conversation_key, generation, id);
        CREATE TABLE inbox (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source TEXT NOT NULL,
            external_id TEXT NOT NULL,
            order_key TEXT NOT NULL,
            payload TEXT NOT NULL,
            received_at TIMESTAMPTZ NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            done_at TIMESTAMPTZ,
            error TEXT,
            UNIQUE (source, external_id));
        CREATE INDEX ix_inbox_pending ON inbox (id) WHERE done_at IS NULL;
        CREATE TABLE kv (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL);
        """);

    /// <summary>Kept turns (see the SQLite provider's core v2).</summary>
    public static readonly PostgresMigration CoreV2 = new("core", 2, """
        CREATE TABLE turns (
            id TEXT PRIMARY KEY,
            conversation_key TEXT NOT NULL,
            answer TEXT NOT NULL,
            kept_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX ix_turns_kept_at ON turns (kept_at);
        """);

    public static readonly PostgresMigration JournalV1 = new("journal", 1, """
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY,
            channel TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            user_id TEXT,
            agent TEXT NOT NULL,
            phase TEXT NOT NULL,
            step INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            auto_resume_count INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            final_text TEXT,
            owner TEXT,
            progress INTEGER NOT NULL DEFAULT 0,
            death_mark INTEGER,
            deaths INTEGER NOT NULL DEFAULT 0,
            checkpoint_version INTEGER,
            checkpoint TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX ix_tasks_status ON tasks (status, updated_at);
        CREATE TABLE tool_journal (
            key TEXT PRIMARY KEY,
            task_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            call_id TEXT NOT NULL,
            tool TEXT NOT NULL,
            arguments TEXT NOT NULL,
            side_effects BOOLEAN NOT NULL,
            runs INTEGER NOT NULL DEFAULT 1,
            status TEXT,
            content TEXT,
            attempts INTEGER,
            started_at TIMESTAMPTZ NOT NULL,
            finished_at TIMESTAMPTZ);
        CREATE INDEX ix_tool_journal_task ON tool_journal (task_id, step);
        CREATE TABLE transactions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at TIMESTAMPTZ NOT NULL,
            kind TEXT NOT NULL,
            task_id TEXT,
            chat TEXT,
            name TEXT NOT NULL,
            arguments TEXT,
            summary TEXT,
            status TEXT NOT NULL,
            attempt INTEGER NOT NULL DEFAULT 1,
            latency_ms DOUBLE PRECISION NOT NULL,
            input_tokens BIGINT,
            output_tokens BIGINT,
            cost NUMERIC);
        CREATE INDEX ix_transactions_at ON transactions (at);
        CREATE INDEX ix_transactions_task ON transactions (task_id, at);
        """);

    public static readonly PostgresMigration ApiKeysV1 = new("apikeys", 1, """
        CREATE TABLE api_keys (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            scopes TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            revoked_at TIMESTAMPTZ);
        CREATE UNIQUE INDEX ix_api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;
        """);

    public static readonly PostgresMigration FeedbackV1 = new("feedback", 1, """
        CREATE TABLE feedback (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            task_id TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
            note TEXT,
            given_by TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX ix_feedback_task ON feedback (task_id, id);
        """);

    /// <summary>Every step of every module this provider has.</summary>
    public static IReadOnlyList<PostgresMigration> All => [CoreV1, CoreV2, JournalV1, ApiKeysV1, FeedbackV1];
}
