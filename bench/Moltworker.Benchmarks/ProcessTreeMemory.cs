using System.Globalization;

namespace Moltworker.Benchmarks;

/// <summary>Proportional set size (PSS, shared pages split between sharers) of this process's descendants with a given
/// command name, from /proc (Linux): e.g. every Chromium process (browser, zygotes, GPU, renderers) the bench started.</summary>
internal static class ProcessTreeMemory
{
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
