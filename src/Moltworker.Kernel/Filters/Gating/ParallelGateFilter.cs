using Microsoft.Extensions.Options;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Filters.Gating;

/// <summary>
/// Lets a batch run concurrently only when every call that will run is to a parallel-safe tool, the model's catalog
/// entry has <c>parallelCalls</c> (batches composed by a command or a tool have no model: their caller decides, so they
/// may), and <c>Moltworker:Tools:Parallel</c> is on. Caps calls in flight at <c>Moltworker:Tools:MaxConcurrency</c>.
/// Runs outside the events filter (<see cref="FilterOrder"/>) so that "batch started" tells whether it runs in parallel.
/// </summary>
public sealed class ParallelGateFilter(IOptionsMonitor<ToolsOptions> options) : IBatchFilter
{
    public Task OnBatchAsync(BatchContext context, Func<BatchContext, Task> next)
    {
        var tools = options.CurrentValue;
        var pending = context.Calls.Where(c => c.Result is null).ToList();
        context.Parallel = tools.Parallel && ModelAllows(context.Turn.Model) && pending.Count > 1 && pending.All(c => c.Metadata.SafeToRunAlongside);
        context.MaxConcurrency = context.Parallel ? Math.Max(1, tools.MaxConcurrency) : 1;
        return next(context);
    }

    private static bool ModelAllows(ModelInfo model) => ReferenceEquals(model, ModelInfo.None) || model.ParallelCalls;
}
