namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>
/// A plugin assembly found in the drop-in folder: <c>&lt;dir&gt;/X.dll</c>, or <c>&lt;dir&gt;/X/X.dll</c> with its
/// dependencies beside it. <see cref="Stamp"/> changes whenever the files that make it up change.
/// </summary>
public sealed record PluginCandidate(string Name, string AssemblyPath, bool IsFolder, string Stamp)
{
    /// <summary>The path relative to the drop-in folder, e.g. <c>X.dll</c> or <c>X/X.dll</c>.</summary>
    public string Relative { get; init; } = "";

    /// <summary>What <see cref="PluginDescriptor.Origin"/> says for plugins from this file.</summary>
    public string Origin => $"drop-in:{Relative}";

    /// <summary>Looks at the top level of <paramref name="directory"/> and one folder deep, never further (the repo's
    /// plugins/ folder holds source projects with bin/ and obj/ below them).</summary>
    public static IReadOnlyList<PluginCandidate> Scan(string directory)
    {
        var found = new List<PluginCandidate>();
        if (!Directory.Exists(directory)) return found;
        foreach (var file in Directory.EnumerateFiles(directory, "*.dll", SearchOption.TopDirectoryOnly))
            found.Add(new PluginCandidate(Path.GetFileNameWithoutExtension(file), file, false, StampOf(file, [file, Sibling(file, ".deps.json")]))
                { Relative = Path.GetFileName(file) });
        foreach (var folder in Directory.EnumerateDirectories(directory, "*", SearchOption.TopDirectoryOnly))
        {
            var name = Path.GetFileName(folder);
            var main = Path.Combine(folder, name + ".dll");
            if (!File.Exists(main)) continue;
            found.Add(new PluginCandidate(name, main, true, StampOf(main, Directory.EnumerateFiles(folder, "*", SearchOption.TopDirectoryOnly)))
                { Relative = $"{name}/{name}.dll" });
        }
        return found.OrderBy(c => c.Relative, StringComparer.Ordinal).ToList();
    }

    private static string Sibling(string file, string extension) =>
        Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileNameWithoutExtension(file) + extension);

    /// <summary>Size and time of every file, plus a hash of the main assembly (a copy may keep the time and size).</summary>
    private static string StampOf(string main, IEnumerable<string> files)
    {
        var parts = new List<string> { Hash(main) };
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            if (info.Exists) parts.Add($"{info.Name}:{info.Length}:{info.LastWriteTimeUtc.Ticks}");
        }
        return string.Join('|', parts);
    }

    private static string Hash(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Ids.ContentHash.Hex(stream);
        }
        catch (IOException) { return "unreadable"; }
        catch (UnauthorizedAccessException) { return "unreadable"; }
    }
}
