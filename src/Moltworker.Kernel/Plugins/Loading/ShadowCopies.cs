using System.Diagnostics;

namespace Moltworker.Kernel.Plugins.Loading;

/// <summary>
/// Copies a plugin (one file, or its folder) to a private temporary folder before loading it, so that the original
/// can be replaced or deleted while the plugin runs (on Linux, overwriting a mapped assembly in place would corrupt
/// the loaded image). One root per host process; folders of processes that are gone are removed at start.
/// </summary>
public sealed class ShadowCopies : IDisposable
{
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "moltworker-plugins");
    private readonly string _root = Path.Combine(Base, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
    private int _next;

    public ShadowCopies() => RemoveStale();

    /// <summary>Copies the plugin and returns the path of the copied main assembly.</summary>
    public string Copy(PluginCandidate candidate)
    {
        var target = Path.Combine(_root, $"{Interlocked.Increment(ref _next):D4}-{candidate.Name}");
        Directory.CreateDirectory(target);
        if (candidate.IsFolder) CopyFolder(Path.GetDirectoryName(candidate.AssemblyPath)!, target);
        else
        {
            var stem = Path.Combine(Path.GetDirectoryName(candidate.AssemblyPath)!, candidate.Name);
            foreach (var extra in new[] { ".dll", ".deps.json", ".pdb" })
                if (File.Exists(stem + extra)) File.Copy(stem + extra, Path.Combine(target, candidate.Name + extra), overwrite: true);
        }
        return Path.Combine(target, Path.GetFileName(candidate.AssemblyPath));
    }

    /// <summary>Deletes a copy (best effort: on Windows a loaded file stays until its context is collected).</summary>
    public static void Delete(string copiedAssemblyPath)
    {
        try { Directory.Delete(Path.GetDirectoryName(copiedAssemblyPath)!, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, dir)));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)), overwrite: true);
    }

    private static void RemoveStale()
    {
        if (!Directory.Exists(Base)) return;
        foreach (var dir in Directory.EnumerateDirectories(Base))
        {
            var name = Path.GetFileName(dir);
            var dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name[..dash], out var pid) || IsAlive(pid)) continue;
            try { Directory.Delete(dir, recursive: true); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }

    private static bool IsAlive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public void Dispose()
    {
        try { if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }
}
