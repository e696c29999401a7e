namespace Moltworker.Storage.Postgres.Database;

/// <summary>The "threads" module (version 1, as on SQLite): the threads of durable tasks, in a module of its own so that
/// it never competes with the "journal" module's versions.</summary>
public static class PostgresThreadSchema
{
    public static readonly PostgresMigration ThreadsV1 = new("threads", 1, """
        CREATE TABLE task_threads (
            id TEXT PRIMARY KEY,
            task_id TEXT NOT NULL,
            parent_id TEXT,
            tool_call_id TEXT,
            agent TEXT NOT NULL,
            model TEXT,
            status TEXT NOT NULL,
            answer TEXT,
            error TEXT,
            input_tokens BIGINT NOT NULL DEFAULT 0,
            output_tokens BIGINT NOT NULL DEFAULT 0,
            checkpoint_version INTEGER,
            checkpoint TEXT,
            started_at TIMESTAMPTZ NOT NULL,
            ended_at TIMESTAMPTZ,
            seq BIGINT GENERATED ALWAYS AS IDENTITY);
        CREATE INDEX ix_task_threads_task ON task_threads (task_id, seq);
        """);
}
