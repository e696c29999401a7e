using Microsoft.Extensions.Logging;
using Npgsql;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.State;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Events;

/// <summary>
/// This host's view of the shared event log: one connection of its own that <c>LISTEN</c>s on
/// <see cref="PostgresEventChannel.Name"/> and, at every notification (and at least every <see cref="Poll"/>, so a lost
/// notification costs a delay, never an event), reads the rows after the last id it delivered. The rows, not the
/// notifications, are what is delivered, so notifications may be dropped or merged. A lost connection is opened again
/// after a growing pause (up to <see cref="MaxRetry"/>) and the watch catches up from the last id.
/// </summary>
public sealed partial class PostgresEventWatch(PostgresDatabase db, TimeProvider time, ILogger<PostgresEventWatch> logger) : ISharedEventSource
{
    /// <summary>Longest wait for a notification before reading anyway.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    /// <summary>Longest pause before connecting again.</summary>
    public static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    private const int Page = 500;

    public async Task WatchAsync(long afterId, Action<IReadOnlyList<StoredEvent>> deliver, CancellationToken cancellationToken)
    {
        var last = afterId;
        var retry = TimeSpan.FromMilliseconds(200);
        var lost = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await db.EnsureReadyAsync(cancellationToken);
                await using var connection = await db.OpenDedicatedAsync(cancellationToken); // LISTEN is session state: never back to the pool
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresEventChannel.Name}", connection))
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                if (lost) LogReconnected(last);
                lost = false;
                retry = TimeSpan.FromMilliseconds(200);
                while (true)
                {
                    last = await CatchUpAsync(connection, last, deliver, cancellationToken);
                    await connection.WaitAsync(Poll, cancellationToken);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is NpgsqlException or IOException or TimeoutException or StorageException)
            {
                if (!lost) LogLost(ex, last);
                lost = true;
                await Task.Delay(retry, time, cancellationToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
            }
        }
    }

    /// <summary>Delivers every row after <paramref name="last"/>, page by page; returns the new last id.</summary>
    private static async Task<long> CatchUpAsync(NpgsqlConnection connection, long last, Action<IReadOnlyList<StoredEvent>> deliver, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await PostgresEventLog.ReadAsync(connection, new EventQuery { AfterId = last, Limit = Page }, cancellationToken);
            if (page.Count == 0) return last;
            deliver(page);
            last = page[^1].Id;
            if (page.Count < Page) return last;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that watches the shared event log after event {LastId}; connecting again")]
    private partial void LogLost(Exception ex, long lastId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watching the shared event log again; catching up after event {LastId}")]
    private partial void LogReconnected(long lastId);
}
