using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Journal;

/// <summary>Schema of the "journal" module: durable tasks with their checkpoint, the tool-call journal, the transaction log.</summary>
public static class JournalMigrations
{
    public static readonly SqliteMigration V1 = new("journal", 1, """
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
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE INDEX ix_tasks_status ON tasks (status, updated_at);
        CREATE TABLE tool_journal (
            key TEXT PRIMARY KEY,
            task_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            call_id TEXT NOT NULL,
            tool TEXT NOT NULL,
            arguments TEXT NOT NULL,
            side_effects INTEGER NOT NULL,
            runs INTEGER NOT NULL DEFAULT 1,
            status TEXT,
            content TEXT,
            attempts INTEGER,
            started_at TEXT NOT NULL,
            finished_at TEXT);
        CREATE INDEX ix_tool_journal_task ON tool_journal (task_id, step);
        CREATE TABLE transactions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            task_id TEXT,
            chat TEXT,
            name TEXT NOT NULL,
            arguments TEXT,
            summary TEXT,
            status TEXT NOT NULL,
            attempt INTEGER NOT NULL DEFAULT 1,
            latency_ms REAL NOT NULL,
            input_tokens INTEGER,
            output_tokens INTEGER,
            cost REAL);
        CREATE INDEX ix_transactions_at ON transactions (at);
        CREATE INDEX ix_transactions_task ON transactions (task_id, at);
        """);
}
