using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>Deletes expired rows of the durable level (<see cref="IToolCacheStore"/>) every
/// <c>Moltworker:Tools:Cache:SweepInterval</c> on the injected clock (zero: never). Expired rows are never served
/// meanwhile; the sweep only keeps the table small. A failed sweep is logged and tried again next time. Without a
/// durable level (no storage provider registered one) there is nothing to sweep.</summary>
public sealed partial class ToolCacheSweepService(IOptions<ToolCacheOptions> options, TimeProvider time,
    ILogger<ToolCacheSweepService> logger, IToolCacheStore? store = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SweepInterval;
        if (interval <= TimeSpan.Zero || store is null) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(interval, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try
            {
                var removed = await store.SweepAsync(stoppingToken);
                if (removed > 0) LogSwept(removed);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { LogSweepFailed(ex); }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} expired tool-cache rows")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired tool-cache rows failed; will try again later")]
    private partial void LogSweepFailed(Exception ex);
}
