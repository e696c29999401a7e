using System.Globalization;

namespace Moltworker.Benchmarks;

/// <summary>
/// The machine's CPU time by kind, from the first line of <c>/proc/stat</c>: to say, next to a latency, how much of
/// the CPU the hypervisor gave to other guests ("steal") and how much was idle while it was measured. On a shared
/// virtual machine steal comes and goes with the neighbours; a run with a third of the CPU stolen is not comparable
/// with one without. Zeros where there is no <c>/proc/stat</c>.
/// </summary>
public readonly record struct CpuShare(long Idle, long Steal, long Total)
{
    public static CpuShare Now()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();   // cpu user nice system idle iowait irq softirq steal ...
            var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            return new CpuShare(ticks[3] + ticks[4], ticks[7], ticks.Sum());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return default;
        }
    }

    /// <summary>Since <paramref name="start"/>: the percent of the CPU time that was stolen and that was idle, and the
    /// seconds of CPU all processes used (on every core; neither idle nor stolen). The busy seconds divided by the work
    /// done is the whole machine's cost of it, which steal does not inflate as it does a latency.</summary>
    public CpuUse Since(CpuShare start)
    {
        var total = Total - start.Total;
        if (total <= 0) return default;
        var (steal, idle) = (Steal - start.Steal, Idle - start.Idle);
        return new CpuUse(100.0 * steal / total, 100.0 * idle / total, (total - steal - idle) / (double)TicksPerSecond);
    }

    /// <summary>USER_HZ: /proc/stat counts in hundredths of a second on Linux.</summary>
    private const int TicksPerSecond = 100;
}

public readonly record struct CpuUse(double StealPercent, double IdlePercent, double BusySeconds);
