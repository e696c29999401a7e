namespace Moltworker.Storage.Postgres.Database;

/// <summary>
/// The schema, by module, with the same modules and version numbers as the SQLite provider's migrations (core 1-2,
/// journal 1, apikeys 1, events 1, approvals 1, schedules 1-2, threads 1, feedback 1, toolcache 1, compaction 1, memory 1), so a step added on one side is visibly missing on the other; <c>leases</c> is PostgreSQL's
/// only (see <see cref="LeasesV1"/>). Times are <c>timestamptz</c>,
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

    /// <summary>The event log. Ids are the table's own, given in commit order under an advisory lock (see
    /// <c>PostgresEventLog</c>), not the recorder's as on SQLite, because several hosts append.</summary>
    public static readonly PostgresMigration EventsV1 = new("events", 1, """
        CREATE TABLE events (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            task_id TEXT NOT NULL,
            seq BIGINT NOT NULL,
            name TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL,
            thread_id TEXT NOT NULL,
            agent TEXT,
            channel TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            batch_id TEXT,
            call_id TEXT,
            data TEXT NOT NULL);
        CREATE INDEX ix_events_task ON events (task_id, id);
        CREATE INDEX ix_events_chat ON events (chat_id, id);
        CREATE INDEX ix_events_at ON events (at);
        """);

    /// <summary>Approval requests (one per call, by its idempotency key) and "always in this chat" grants.</summary>
    public static readonly PostgresMigration ApprovalsV1 = new("approvals", 1, """
        CREATE TABLE approvals (
            id TEXT PRIMARY KEY,
            call_key TEXT NOT NULL UNIQUE,
            task_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            user_id TEXT,
            tool TEXT NOT NULL,
            arguments TEXT NOT NULL,
            reason TEXT,
            status TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            decided_by TEXT,
            decided_at TIMESTAMPTZ);
        CREATE INDEX ix_approvals_pending ON approvals (expires_at) WHERE status = 'Pending';
        CREATE INDEX ix_approvals_task ON approvals (task_id);
        CREATE TABLE approval_grants (
            conversation TEXT NOT NULL,
            tool TEXT NOT NULL,
            until TIMESTAMPTZ NOT NULL,
            granted_by TEXT NOT NULL,
            PRIMARY KEY (conversation, tool));
        """);

    /// <summary>Schedules. A claim names its scheduler (<c>claimed_by</c>) and the server process of that host's
    /// presence connection (<c>claim_pid</c>): it holds while that process lives (see <c>PostgresScheduleStore</c>).</summary>
    public static readonly PostgresMigration SchedulesV1 = new("schedules", 1, """
        CREATE TABLE schedules (
            id TEXT PRIMARY KEY,
            channel TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            user_id TEXT,
            kind TEXT NOT NULL,
            cron TEXT,
            time_zone TEXT NOT NULL,
            every_ms BIGINT,
            at TIMESTAMPTZ,
            what TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            next_run_at TIMESTAMPTZ NOT NULL,
            last_run_at TIMESTAMPTZ,
            last_error TEXT,
            failure_reported BOOLEAN NOT NULL DEFAULT false,
            claimed_by TEXT,
            claim_pid INTEGER);
        CREATE INDEX ix_schedules_chat ON schedules (channel, chat_id);
        CREATE INDEX ix_schedules_next_run ON schedules (next_run_at);
        """);

    /// <summary>Leases for several hosts on one database (PostgreSQL only: a SQLite file has one host, which holds every
    /// lease). A task's lease is its <c>owner</c> with <c>lease_expires_at</c>; a chat inbox's is a <c>chat_leases</c>
    /// row. Both are judged by the server's <c>now()</c>. Tasks without an expiry (older rows) count as expired.</summary>
    public static readonly PostgresMigration LeasesV1 = new("leases", 1, """
        ALTER TABLE tasks ADD COLUMN lease_expires_at TIMESTAMPTZ;
        CREATE INDEX ix_tasks_running_owner ON tasks (owner) WHERE status = 'Running';
        CREATE TABLE chat_leases (
            order_key TEXT PRIMARY KEY,
            lease_owner TEXT NOT NULL,
            lease_expires_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX ix_chat_leases_owner ON chat_leases (lease_owner);
        CREATE INDEX ix_inbox_pending_chat ON inbox (order_key, id) WHERE done_at IS NULL;
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
    public static IReadOnlyList<PostgresMigration> All => [CoreV1, CoreV2, JournalV1, ApiKeysV1, EventsV1, ApprovalsV1, SchedulesV1, PostgresScheduleSchema.SchedulesV2, PostgresThreadSchema.ThreadsV1, FeedbackV1, Memory.PostgresMemorySchema.MemoryV1, LeasesV1, PostgresToolCacheSchema.ToolCacheV1, PostgresCompactionSchema.CompactionV1];
}
