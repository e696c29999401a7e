using Moltworker.Kernel.State;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Kernel.Tasks;

/// <summary>/healthz entry "tasks": tasks by status and the auto-resume rate (resumes per task after budget hits).</summary>
public sealed class TasksHealth(ITaskStore store) : IHealthContributor
{
    public string Name => "tasks";

    public async Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var s = await store.StatsAsync(cancellationToken);
            return new HealthEntry(true, new
            {
                running = s.Running, paused = s.Paused, completed = s.Completed, failed = s.Failed,
                autoResumes = s.AutoResumes, autoResumeRate = Math.Round(s.AutoResumeRate, 3),
                transactionLogFailures = TransactionWriter.Failures,
            }, s.Paused > 0 ? "Paused tasks wait for a decision: moltworker tasks list --status paused" : null);
        }
        catch (Exception ex) when (ex is StorageException) { return new HealthEntry(false, new { error = ex.Message }); }
    }
}
