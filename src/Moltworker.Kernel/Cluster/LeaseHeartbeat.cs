using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Cluster;

/// <summary>
/// On a shared database: every <see cref="ClusterOptions.RenewEvery"/> renews this host's leases (tasks and chat
/// inboxes), and every <see cref="ClusterOptions.SweepEvery"/> runs the <see cref="IExpiredWorkSweep"/>s that take over
/// the work of dead hosts. A renewal that fails
/// is logged and tried again at the next beat; once the leases have expired the stores' fence refuses this host's
/// journal writes and checkpoints, so it cannot act on a task another host has taken. On SQLite it does nothing.
/// </summary>
public sealed partial class LeaseHeartbeat(
    IHostLeases leases,
    TaskOwner owner,
    IEnumerable<IExpiredWorkSweep> sweeps,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<LeaseHeartbeat> logger) : BackgroundService
{
    /// <summary>When the last renewal succeeded (this host's clock); null before the first.</summary>
    public DateTimeOffset? LastRenewedAt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!leases.Shared) return;
        var o = options.Value;
        var tick = o.RenewEvery < o.SweepEvery ? o.RenewEvery : o.SweepEvery;
        using var timer = new PeriodicTimer(tick, time);
        long? renewed = null, swept = null;
        try
        {
            do
            {
                if (renewed is null || time.GetElapsedTime(renewed.Value) >= o.RenewEvery - tick / 2)
                {
                    renewed = time.GetTimestamp();
                    await RenewAsync(o, stoppingToken);
                }
                if (swept is null || time.GetElapsedTime(swept.Value) >= o.SweepEvery - tick / 2)
                {
                    swept = time.GetTimestamp();
                    await SweepAsync(stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task RenewAsync(ClusterOptions o, CancellationToken cancellationToken)
    {
        try
        {
            await leases.RenewAsync(owner.Id, o.LeaseDuration, cancellationToken);
            var now = time.GetUtcNow();
            // A beat that came later than a whole lease (a stalled process, a starved thread pool): other hosts may have
            // taken this host's chats and tasks meanwhile; the fences keep it from acting on them, and this says why.
            if (LastRenewedAt is { } last && now - last > o.LeaseDuration) LogRenewedLate(now - last, o.LeaseDuration);
            LastRenewedAt = now;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRenewFailed(ex, LastRenewedAt);
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var sweep in sweeps)
        {
            try { await sweep.SweepAsync(cancellationToken); }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSweepFailed(ex, sweep.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewing this host's leases failed (last renewed {LastRenewedAt}); tried again at the next beat")]
    private partial void LogRenewFailed(Exception ex, DateTimeOffset? lastRenewedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This host's leases were renewed {Gap} after the last renewal, later than the lease ({Lease}): other hosts may have taken its chats and tasks meanwhile")]
    private partial void LogRenewedLate(TimeSpan gap, TimeSpan lease);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for expired work ({Sweep}) failed; tried again at the next beat")]
    private partial void LogSweepFailed(Exception ex, string sweep);
}
