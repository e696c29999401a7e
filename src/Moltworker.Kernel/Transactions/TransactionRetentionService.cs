using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Transactions;

/// <summary>Deletes transaction log entries older than <c>Moltworker:Transactions:RetentionDays</c>, at start and every 6 hours.</summary>
public sealed partial class TransactionRetentionService(ITransactionLog log, IOptions<TransactionsOptions> options, TimeProvider time,
    ILogger<TransactionRetentionService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var days = options.Value.RetentionDays;
        if (days <= 0) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await log.PruneAsync(time.GetUtcNow().AddDays(-days), stoppingToken);
                if (removed > 0) LogPruned(removed, days);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { LogPruneFailed(ex); }
            try { await Task.Delay(Interval, time, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transaction log: removed {Count} entries older than {Days} days")]
    private partial void LogPruned(int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction log pruning failed; will try again later")]
    private partial void LogPruneFailed(Exception ex);
}
