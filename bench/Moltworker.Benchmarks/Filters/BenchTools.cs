using System.ComponentModel;
using Moltworker.Abstractions;

namespace Moltworker.Benchmarks.Filters;

/// <summary>A parallel-safe tool that takes a fixed latency (the benchmark's L).</summary>
[Plugin("bench")]
public sealed class BenchTools
{
    public static TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(200);

    [Tool("wait_latency", ParallelSafe = true), Description("Waits L and answers")]
    public async Task<string> Wait([Description("n")] int n, CancellationToken ct)
    {
        await Task.Delay(Latency, ct);
        return $"done {n}";
    }
}
