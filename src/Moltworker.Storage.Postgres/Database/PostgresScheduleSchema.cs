namespace Moltworker.Storage.Postgres.Database;

/// <summary>The "schedules" module's later steps (version 1 is <see cref="PostgresSchema.SchedulesV1"/>), numbered as on
/// SQLite.</summary>
public static class PostgresScheduleSchema
{
    /// <summary>Pause: <c>paused_at</c> is when the schedule was paused, null while it runs; paused rows are never due.</summary>
    public static readonly PostgresMigration SchedulesV2 = new("schedules", 2, """
        ALTER TABLE schedules ADD COLUMN paused_at TIMESTAMPTZ;
        """);
}
