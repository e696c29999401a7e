using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Moltworker.Kernel.Hosting;

/// <summary>Deletes what is older than <see cref="RetentionDays"/>, at start and every <see cref="Interval"/>. A failed
/// pass is logged and tried again at the next one; zero days keeps everything.</summary>
public abstract partial class PeriodicRetentionService(TimeProvider time, ILogger logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    /// <summary>What is pruned, for the log ("transaction log entries").</summary>
    protected abstract string What { get; }

    protected abstract int RetentionDays { get; }

    /// <summary>Deletes what is older than <paramref name="before"/>; returns how much.</summary>
    protected abstract Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var days = RetentionDays;
        if (days <= 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await PruneAsync(time.GetUtcNow().AddDays(-days), stoppingToken);
                if (removed > 0) LogPruned(removed, What, days);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { LogPruneFailed(ex, What); }
            try { await Task.Delay(Interval, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} {What} older than {Days} days")]
    private partial void LogPruned(int count, string what, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning {What} failed; will try again later")]
    private partial void LogPruneFailed(Exception ex, string what);
}
