using System.Diagnostics;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Hosting;

/// <summary>/healthz entry "memory": the process's working set and the managed heap, so an operator sees growth
/// without tools. <c>gen0BudgetMb</c> is the GC's gen0 allocation budget in force (the host caps it in its runtime
/// configuration, see docs/operations.md); <c>heapAfterLastGcMb</c> is what survived the last collection, the figure
/// that shows a leak.</summary>
public sealed class MemoryHealth : IHealthContributor
{
    private const double Mb = 1024 * 1024;

    public string Name => "memory";

    public Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo();
        var afterLastGc = info.GenerationInfo.ToArray().Sum(g => g.SizeAfterBytes);
        return Task.FromResult(new HealthEntry(true, new
        {
            workingSetMb = Round(process.WorkingSet64),
            managedHeapMb = Round(GC.GetTotalMemory(forceFullCollection: false)),
            heapAfterLastGcMb = Round(afterLastGc),
            committedMb = Round(info.TotalCommittedBytes),
            gen0BudgetMb = Gen0BudgetMb(),
            collections = new { gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2) },
        }));
    }

    private static double? Gen0BudgetMb() =>
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var value) && value is IConvertible c
            ? Round(c.ToInt64(null))
            : null;

    private static double Round(long bytes) => Math.Round(bytes / Mb, 1);
}
