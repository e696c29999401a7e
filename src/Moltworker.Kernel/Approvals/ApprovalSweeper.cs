using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Approvals;

/// <summary>
/// One timer for all requests (a pending request costs a row, no timer or thread): every
/// <see cref="ApprovalsOptions.SweepInterval"/> on the injected <see cref="TimeProvider"/>, expires the requests past their
/// timeout and resumes the tasks awaiting approval that have nothing pending any more (answered by expiry, by the CLI,
/// or before a restart).
/// </summary>
public sealed partial class ApprovalSweeper(
    IApprovalStore store,
    ITaskStore tasks,
    ApprovalResolver resolver,
    ApprovalResumer resumer,
    TimeProvider time,
    IOptionsMonitor<ApprovalsOptions> options,
    ILogger<ApprovalSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && options.CurrentValue.SweepInterval > TimeSpan.Zero)
        {
            try { await SweepAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception ex) { LogSweepFailed(ex); }
            await Task.Delay(options.CurrentValue.SweepInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Expires what is due and starts the resume of every task left with nothing pending; returns those task ids.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var due in await store.ListDueAsync(time.GetUtcNow(), cancellationToken))
            await resolver.ExpireAsync(due, cancellationToken);
        var resumed = new List<string>();
        foreach (var task in await tasks.ListAsync(DurableTaskStatus.AwaitingApproval, 1000, cancellationToken))
        {
            if (await store.CountPendingAsync(task.Id, cancellationToken) > 0) continue;
            await resumer.StartAsync(task.Id, cancellationToken);
            resumed.Add(task.Id);
        }
        return resumed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The approvals sweep failed")]
    private partial void LogSweepFailed(Exception ex);
}
