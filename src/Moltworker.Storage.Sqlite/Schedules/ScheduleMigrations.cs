using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Schedules;

/// <summary>Schema of the "schedules" module. Instants are Unix milliseconds (UTC), so due times sort and compare as
/// integers; <c>claimed_by</c> names the scheduler running the schedule now.</summary>
public static class ScheduleMigrations
{
    public static readonly SqliteMigration V1 = new("schedules", 1, """
        CREATE TABLE schedules (
            id TEXT PRIMARY KEY,
            channel TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            user_id TEXT,
            kind TEXT NOT NULL,
            cron TEXT,
            time_zone TEXT NOT NULL,
            every_ms INTEGER,
            at_ms INTEGER,
            what TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            next_run_ms INTEGER NOT NULL,
            last_run_ms INTEGER,
            last_error TEXT,
            failure_reported INTEGER NOT NULL DEFAULT 0,
            claimed_by TEXT);
        CREATE INDEX ix_schedules_chat ON schedules (channel, chat_id);
        CREATE INDEX ix_schedules_next_run ON schedules (next_run_ms);
        """);

    /// <summary>Pause: <c>paused_ms</c> is when the schedule was paused, null while it runs; paused rows are never due.</summary>
    public static readonly SqliteMigration V2 = new("schedules", 2, """
        ALTER TABLE schedules ADD COLUMN paused_ms INTEGER;
        """);

    /// <summary>Every step of the module, in order.</summary>
    public static IReadOnlyList<SqliteMigration> All => [V1, V2];
}
