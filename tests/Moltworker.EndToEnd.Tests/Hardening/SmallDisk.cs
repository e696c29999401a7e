using System.Diagnostics;
using Moltworker.EndToEnd.Tests.Hosting;

namespace Moltworker.EndToEnd.Tests.Hardening;

/// <summary>
/// A real small file system: a tmpfs of a few megabytes mounted on a temporary folder (needs root, as on the CI
/// machines), which <see cref="Fill"/> makes full and <see cref="Free"/> empties again. Read-only on request.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly TempFolder _mountPoint = new("mw-disk");
    private string FillerPath => System.IO.Path.Combine(Path, "filler.bin");

    private SmallDisk(int megabytes, bool readOnly)
    {
        var options = $"size={megabytes}m" + (readOnly ? ",ro" : "");
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", _mountPoint.Path);
        if (code != 0)
            throw new InvalidOperationException($"These tests mount a small tmpfs and need root (mount -t tmpfs failed: {error.Trim()}).");
    }

    public string Path => _mountPoint.Path;

    public static SmallDisk Mount(int megabytes) => new(megabytes, readOnly: false);

    public static SmallDisk MountReadOnly() => new(1, readOnly: true);

    /// <summary>Writes a filler file until the file system has no space left.</summary>
    public void Fill()
    {
        using var file = new FileStream(FillerPath, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        for (var chunk = 1 << 20; chunk >= 512; chunk /= 2)
        {
            var bytes = new byte[chunk];
            try { while (true) { file.Write(bytes); file.Flush(); } }
            catch (IOException) { }
        }
    }

    /// <summary>Deletes the filler: the space is back.</summary>
    public void Free() => File.Delete(FillerPath);

    public void Dispose()
    {
        Run("umount", "-l", _mountPoint.Path);
        _mountPoint.Dispose();
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception ex) { return (-1, ex.Message); }
    }
}
