using System.Diagnostics;
using System.Runtime;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Hosting;

/// <summary>/healthz entry "runtime": how long the process has run, what the JIT has compiled so far, and the
/// thread pool. A host compiles tens of thousands of methods in its first seconds under load (each hot method is
/// compiled again, optimized, once it has run often enough), and its turns are slower until that stops; a
/// <c>jit.methods</c> count that no longer moves between two checks says the host has warmed up (the benchmarks wait
/// for it, see docs/benchmarks.md).</summary>
public sealed class RuntimeHealth(TimeProvider time) : IHealthContributor
{
    public string Name => "runtime";

    public Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        using var process = Process.GetCurrentProcess();
        var started = new DateTimeOffset(process.StartTime.ToUniversalTime());
        return Task.FromResult(new HealthEntry(true, new
        {
            uptimeS = Math.Round((time.GetUtcNow() - started).TotalSeconds, 1),
            jit = new
            {
                methods = JitInfo.GetCompiledMethodCount(),
                ms = Math.Round(JitInfo.GetCompilationTime().TotalMilliseconds, 1),
            },
            threadPool = new { threads = ThreadPool.ThreadCount, pending = ThreadPool.PendingWorkItemCount },
        }));
    }
}
