using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using Moltworker.Abstractions;

namespace Moltworker.Benchmarks.Approvals;

/// <summary>The approvals benchmark's tools: <c>bench_write</c> needs approval and records the moment it is dispatched;
/// <c>bench_read</c> runs without asking (the control turns).</summary>
[Plugin("approvalbench")]
public sealed class ApprovalBenchTools
{
    /// <summary><see cref="Stopwatch.GetTimestamp"/> when <c>bench_write</c> was entered, by its argument.</summary>
    public static ConcurrentDictionary<int, long> Dispatched { get; } = new();

    [Tool("bench_write", SideEffects = true, NeedsApproval = true), Description("Writes n")]
    public string Write([Description("n")] int n)
    {
        Dispatched[n] = Stopwatch.GetTimestamp();
        return $"wrote {n}";
    }

    [Tool("bench_read", SideEffects = false), Description("Reads n")]
    public string Read([Description("n")] int n) => $"read {n}";
}
