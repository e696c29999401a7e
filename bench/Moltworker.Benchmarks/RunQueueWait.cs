using System.Globalization;

namespace Moltworker.Benchmarks;

/// <summary>
/// How long this process's threads waited for a CPU while runnable: the second field of each thread's
/// <c>/proc/self/task/TID/schedstat</c> (nanoseconds on a run queue), summed over the threads alive at both ends of a
/// phase (a thread made or ended in between is left out). Next to a latency it says whether the time went to
/// waiting for one of the machine's cores rather than to work. Zero where there is no <c>/proc</c>.
/// </summary>
public sealed class RunQueueWait
{
    private readonly Dictionary<string, long> _start;

    private RunQueueWait(Dictionary<string, long> start) => _start = start;

    public static RunQueueWait Now() => new(Read());

    /// <summary>The run-queue wait since <see cref="Now"/>, over the threads alive then and now.</summary>
    public TimeSpan Since()
    {
        long ns = 0;
        foreach (var (tid, waited) in Read())
            if (_start.TryGetValue(tid, out var before)) ns += waited - before;
        return TimeSpan.FromTicks(ns / 100);
    }

    private static Dictionary<string, long> Read()
    {
        var waits = new Dictionary<string, long>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                    waits[Path.GetFileName(task)] = long.Parse(fields[1], CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException) { }   // the thread ended
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return waits;
    }
}
