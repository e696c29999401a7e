using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Journal;

/// <summary>Schema of the "threads" module: the threads of durable tasks (a delegated child's checkpoint, answer and
/// usage; each task's root usage). A module of its own so that it never competes with the "journal" module's versions.</summary>
public static class ThreadMigrations
{
    public static readonly SqliteMigration V1 = new("threads", 1, """
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
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            checkpoint_version INTEGER,
            checkpoint TEXT,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            seq INTEGER NOT NULL);
        CREATE INDEX ix_task_threads_task ON task_threads (task_id, seq);
        """);

    public static IReadOnlyList<SqliteMigration> All => [V1];
}
