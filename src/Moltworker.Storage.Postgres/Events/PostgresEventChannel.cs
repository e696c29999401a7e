namespace Moltworker.Storage.Postgres.Events;

/// <summary>The <c>LISTEN/NOTIFY</c> channel a commit to the event log notifies, with the last new id as payload.</summary>
public static class PostgresEventChannel
{
    public const string Name = "moltworker_events";
}
