using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Storage.Sqlite.Database;

/// <summary>
/// Copies the write-ahead log back into <c>moltworker.db</c> off the request path. By default SQLite checkpoints inside
/// whichever commit takes the WAL past 1,000 pages; in the host that was every twentieth turn or so, and that turn
/// paid the copy and its fsyncs (5 to 7 ms). While this service runs, connections open with automatic checkpoints off
/// and a PASSIVE checkpoint runs every <see cref="StorageOptions.WalCheckpointInterval"/>; passive checkpoints never
/// block readers or writers. Under continuous load a passive checkpoint never catches up with the writers, so SQLite
/// never starts the WAL over: when the WAL is left larger than <see cref="StorageOptions.WalTruncateAboveMb"/>, a
/// TRUNCATE checkpoint follows, which makes writers wait for the few frames the passive one left; it waits at most
/// <see cref="SqliteDatabase.TruncateWait"/> for readers, so a long reader (an online backup) makes it give up until a
/// later tick instead of stalling the writers for seconds. A failed checkpoint
/// is logged and retried at the next tick (the WAL only grows meanwhile, nothing is lost). When the service stops,
/// SQLite's automatic checkpoints come back.
/// </summary>
public sealed partial class WalCheckpointService(SqliteDatabase database, IOptions<StorageOptions> options, TimeProvider time, ILogger<WalCheckpointService> logger)
    : BackgroundService
{
    private bool _failing;

    /// <summary>Takes checkpoints over before the host serves anything (ExecuteAsync itself may start later).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WalCheckpointInterval > TimeSpan.Zero) database.CheckpointsInBackground = true;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.WalCheckpointInterval;
        if (interval <= TimeSpan.Zero) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken);
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            database.CheckpointsInBackground = false;
        }
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.CheckpointAsync(cancellationToken);
            if (database.WalBytes > options.Value.WalTruncateAboveMb * 1024L * 1024L) await database.TruncateWalAsync(cancellationToken);
            if (_failing) LogRecovered();
            _failing = false;
        }
        catch (StorageException ex)
        {
            if (!_failing) LogFailed(ex);
            _failing = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL checkpoint failed; the log grows until one succeeds")]
    private partial void LogFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "WAL checkpoints succeed again")]
    private partial void LogRecovered();
}
