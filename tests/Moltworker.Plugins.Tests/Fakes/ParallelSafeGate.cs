using Moltworker.Kernel.Filters;

namespace Moltworker.Plugins.Tests.Fakes;

/// <summary>
/// A stand-in for the filters issue's gating filter, for tests only: a batch whose calls are all parallel-safe
/// runs concurrently. Harmless once the real gate is registered too (it sets the same flag).
/// </summary>
public sealed class ParallelSafeGate : IBatchFilter
{
    public Task OnBatchAsync(BatchContext context, Func<BatchContext, Task> next)
    {
        if (context.Calls.All(c => c.Metadata.ParallelSafe))
        {
            context.Parallel = true;
            context.MaxConcurrency = Math.Max(context.MaxConcurrency, context.Calls.Count);
        }
        return next(context);
    }
}
