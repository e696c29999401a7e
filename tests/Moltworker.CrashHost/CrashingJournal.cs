using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;

namespace Moltworker.CrashHost;

/// <summary>The real journal with the fault plan's kill points around its writes.</summary>
public sealed class CrashingJournal(IToolJournal inner, FaultPlan plan) : IToolJournal
{
    public async Task RecordIntentAsync(JournalEntry intent, CancellationToken cancellationToken)
    {
        plan.Reached("before-intent");
        await inner.RecordIntentAsync(intent, cancellationToken);
        plan.Reached("after-intent");
    }

    public async Task RecordResultAsync(string key, string taskId, ToolResult result, int attempts, DateTimeOffset at, CancellationToken cancellationToken)
    {
        plan.Reached("after-dispatch");
        await inner.RecordResultAsync(key, taskId, result, attempts, at, cancellationToken);
        plan.Reached("after-result");
    }

    public Task<IReadOnlyDictionary<string, JournalEntry>> FindAsync(string taskId, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        inner.FindAsync(taskId, keys, cancellationToken);

    public Task ForgetAsync(string key, CancellationToken cancellationToken) => inner.ForgetAsync(key, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> ListAsync(string taskId, CancellationToken cancellationToken) => inner.ListAsync(taskId, cancellationToken);
}
