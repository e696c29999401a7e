using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Events;

/// <summary>Schema of the "events" module: the durable event log (ids given by the recorder, not by SQLite).</summary>
public static class EventMigrations
{
    public static readonly SqliteMigration V1 = new("events", 1, """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            task_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            name TEXT NOT NULL,
            at TEXT NOT NULL,
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

    /// <summary>Every step of the module, in order.</summary>
    public static IReadOnlyList<SqliteMigration> All => [V1];
}
