using System.Diagnostics;

namespace Moltworker.CrashHost;

/// <summary>
/// <c>MW_CRASH_AT=boundary:n</c>: kill this process with SIGKILL at the n-th time (in this process) the journal reaches
/// the boundary: <c>before-intent</c>, <c>after-intent</c>, <c>after-dispatch</c> (the tool ran, its result is not
/// committed), <c>after-result</c> (committed); or the end of a turn reaches it: <c>before-keep</c> (the turn's messages
/// are not committed), <c>after-keep</c> (committed, the task not yet marked completed); or a compaction reaches it:
/// <c>before-summary</c> (summarized, not stored), <c>after-summary</c> (stored).
/// </summary>
public sealed class FaultPlan
{
    private readonly string? _boundary;
    private readonly int _occurrence;
    private readonly Dictionary<string, int> _seen = [];

    public FaultPlan(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) return;
        var parts = spec.Split(':');
        _boundary = parts[0];
        _occurrence = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
    }

    public void Reached(string boundary)
    {
        if (_boundary != boundary) return;
        int count;
        lock (_seen) _seen[boundary] = count = _seen.GetValueOrDefault(boundary) + 1;
        if (count != _occurrence) return;
        Console.Out.WriteLine($"CRASHING at {boundary}:{count}");
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill(); // SIGKILL: no finally blocks, no flushing, no graceful shutdown
        Thread.Sleep(Timeout.Infinite);
    }
}
