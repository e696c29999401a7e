using System.Globalization;

namespace Moltworker.Benchmarks;

/// <summary>Process memory from /proc (Linux): the proportional set size (PSS, shared pages split between sharers) of this
/// process's descendants with a given command name (e.g. every Chromium process the bench started), and one process's
/// resident memory by kind of mapping (<see cref="Mappings"/>), to see what grows between two moments.</summary>
internal static class ProcessTreeMemory
{
    /// <summary>Resident KB of a process by kind of mapping, from /proc/PID/smaps. A named mapping goes by its file
    /// (<c>[heap]</c> is glibc's main malloc arena, <c>/memfd:doublemapper</c> the JIT's code and stubs under W^X). An
    /// anonymous one: "malloc arena" when it starts on a 64 MB boundary and ends, or its inaccessible rest ends, on the
    /// next (glibc's other arenas); otherwise by the run of adjacent anonymous mappings it lies in: "GC heap" when the
    /// run holds an inaccessible reservation of 8 GB or more (the GC reserves its regions' range up front and commits
    /// into it), "runtime reserve" for 1–8 GB (the range the runtime keeps for code and loader heaps), else "anon" and
    /// the run's size class (thread stacks, native allocations malloc served with mmap, SQLite's among them).</summary>
    /// <summary>How many threads the process has now.</summary>
    public static int Threads(int pid) => Directory.GetDirectories($"/proc/{pid}/task").Length;

    public static Dictionary<string, long> Mappings(int pid)
    {
        var maps = new List<Mapping>();
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 5 && parts[0].Contains('-') && !parts[0].EndsWith(':'))
            {
                var range = parts[0].Split('-');
                maps.Add(new Mapping(Convert.ToUInt64(range[0], 16), Convert.ToUInt64(range[1], 16), parts[1], parts.Length == 6 ? parts[5].Trim() : "", 0));
            }
            else if (maps.Count > 0 && line.StartsWith("Rss:", StringComparison.Ordinal))
                maps[^1] = maps[^1] with { RssKb = long.Parse(parts[1], CultureInfo.InvariantCulture) };
        }
        var kb = new Dictionary<string, long>();
        void Add(string kind, long rss) => kb[kind] = kb.GetValueOrDefault(kind) + rss;
        const ulong arena = 64UL << 20;
        for (var i = 0; i < maps.Count;)
        {
            if (maps[i].Name.Length > 0) { Add(KindOfFile(maps[i].Name), maps[i].RssKb); i++; continue; }
            var first = i;
            for (; i < maps.Count && maps[i].Name.Length == 0 && (i == first || maps[i].Start == maps[i - 1].End); i++) { }
            var largestReserve = maps[first..i].Where(m => m.Perms.StartsWith("---", StringComparison.Ordinal)).Select(m => m.End - m.Start).DefaultIfEmpty().Max();
            var run = largestReserve >= 8UL << 30 ? "GC heap" : largestReserve >= 1UL << 30 ? "runtime reserve" : "anon " + SizeClass((long)(maps[i - 1].End - maps[first].Start));
            for (var j = first; j < i; j++)
            {
                var m = maps[j];
                var arenaEnd = m.End - m.End % arena == m.End ? m.End
                    : j + 1 < i && maps[j + 1].Perms.StartsWith("---", StringComparison.Ordinal) ? maps[j + 1].End : 0;
                Add(m.Start % arena == 0 && arenaEnd == m.Start + arena ? "malloc arena" : run, m.RssKb);
            }
        }
        return kb;
    }

    private readonly record struct Mapping(ulong Start, ulong End, string Perms, string Name, long RssKb);

    /// <summary>The kinds whose resident size changed most from <paramref name="before"/> to <paramref name="after"/>, as
    /// "kind +x.x MB" (largest change first), and the total change.</summary>
    public static string Growth(Dictionary<string, long> before, Dictionary<string, long> after, int top = 8)
    {
        var deltas = before.Keys.Union(after.Keys)
            .Select(k => (Kind: k, Kb: after.GetValueOrDefault(k) - before.GetValueOrDefault(k)))
            .Where(d => Math.Abs(d.Kb) >= 52).OrderByDescending(d => Math.Abs(d.Kb)).ToList();
        var total = deltas.Sum(d => d.Kb);
        return $"total {total / 1024.0:+0.0;-0.0} MB: " + string.Join(", ", deltas.Take(top).Select(d => $"{d.Kind} {d.Kb / 1024.0:+0.0;-0.0}"));
    }

    private static string KindOfFile(string name) =>
        name.StartsWith('[') || name.StartsWith("/memfd:", StringComparison.Ordinal) ? name.Split(' ')[0]
        : name.EndsWith(".db-shm", StringComparison.Ordinal) ? "*.db-shm"
        : name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal) ? "*.so"
        : name.EndsWith(".dll", StringComparison.Ordinal) ? "*.dll"
        : "other files";

    private static string SizeClass(long bytes) => bytes switch
    {
        >= 1L << 30 => ">=1G",
        >= 64L << 20 => "64M-1G",
        >= 8L << 20 => "8-64M",
        >= 1L << 20 => "1-8M",
        >= 64L << 10 => "64K-1M",
        _ => "<64K",
    };

    public static (long Bytes, int Processes) PssOfDescendants(string command)
    {
        var parents = new Dictionary<int, int>();
        var names = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                names[pid] = stat[(stat.IndexOf('(') + 1)..close];
                parents[pid] = int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException) { /* exited meanwhile */ }
        }
        var self = Environment.ProcessId;
        long total = 0;
        var count = 0;
        foreach (var (pid, name) in names)
        {
            if (!name.StartsWith(command, StringComparison.Ordinal) || !Descends(pid, self, parents)) continue;
            total += Pss(pid);
            count++;
        }
        return (total, count);
    }

    private static bool Descends(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var hops = 0; hops < 64 && parents.TryGetValue(pid, out var parent); hops++)
        {
            if (parent == ancestor) return true;
            pid = parent;
        }
        return false;
    }

    private static long Pss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* exited meanwhile */ }
        return 0;
    }
}
