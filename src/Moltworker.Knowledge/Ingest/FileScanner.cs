namespace Moltworker.Knowledge.Ingest;

/// <summary>Finds the supported files under the given paths (files are taken as they are; folders are walked
/// recursively, skipping hidden folders and build output: bin, obj, node_modules).</summary>
public static class FileScanner
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules" };

    public static List<string> Scan(IEnumerable<string> paths)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                if (DocumentReader.IsSupported(full)) files.Add(full);
            }
            else if (Directory.Exists(full)) Walk(full, files);
        }
        return files.ToList();
    }

    private static void Walk(string folder, SortedSet<string> files)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (!Path.GetFileName(file).StartsWith('.') && DocumentReader.IsSupported(file)) files.Add(file);
        }
        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(sub);
            if (name.StartsWith('.') || SkippedFolders.Contains(name)) continue;
            if (new DirectoryInfo(sub).LinkTarget is not null) continue;
            Walk(sub, files);
        }
    }
}
