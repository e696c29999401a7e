using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Moltworker.Kernel.Cluster;

/// <summary>
/// Keeps trying to become the leader (every <see cref="ClusterOptions.RenewEvery"/>) and, while leader, checks the
/// leadership at the same pace. What runs on one host only (Telegram long polling, the Discord gateway) waits on
/// <see cref="WaitAsync"/> and stops when the term's token fires. On SQLite the host is leader at once, for good.
/// </summary>
public sealed partial class LeaderGate(
    ILeaderElection election,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<LeaderGate> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<CancellationToken> _term = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True while this host is the leader.</summary>
    public bool IsLeader { get { lock (_gate) return _term.Task.IsCompletedSuccessfully; } }

    /// <summary>Waits until this host is the leader; the token returned is cancelled when it stops being the leader.</summary>
    public Task<CancellationToken> WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _term.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.Value.RenewEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            ILeaderTerm? term = null;
            try
            {
                term = await election.TryAcquireAsync(stoppingToken);
                if (term is null)
                {
                    await Task.Delay(every, time, stoppingToken);
                    continue;
                }
                using var lost = CancellationTokenSource.CreateLinkedTokenSource(term.Lost);
                lock (_gate) _term.TrySetResult(lost.Token);
                LogLeader();
                using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost.Token);
                try
                {
                    while (!lost.IsCancellationRequested)
                    {
                        await Task.Delay(every, time, either.Token);
                        await term.CheckAsync(stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested) { }
                catch (Exception ex) when (ex is not OperationCanceledException) { LogCheckFailed(ex); }
                lock (_gate) _term = new(TaskCreationOptions.RunContinuationsAsynchronously);
                await lost.CancelAsync();
                if (!stoppingToken.IsCancellationRequested) LogLost();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
            catch (Exception ex)
            {
                LogElectionFailed(ex);
                try { await Task.Delay(every, time, stoppingToken); }
                catch (OperationCanceledException) { }
            }
            finally
            {
                if (term is not null) await term.DisposeAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This host is the leader: it runs Telegram long polling and the Discord gateway")]
    private partial void LogLeader();

    [LoggerMessage(Level = LogLevel.Warning, Message = "This host lost the leadership; another host takes it over")]
    private partial void LogLost();

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking the leadership failed; it is given up")]
    private partial void LogCheckFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "The leader election failed; tried again")]
    private partial void LogElectionFailed(Exception ex);
}
