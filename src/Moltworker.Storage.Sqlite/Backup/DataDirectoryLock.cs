namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>
/// Says that a process uses a data directory: an exclusive lock on <c>&lt;data&gt;/moltworker.lock</c>, held while the
/// host runs (and while <c>moltworker restore</c> replaces the database). The operating system releases it when the
/// process ends, however it ends, so a crashed host never leaves a stale lock behind.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "moltworker.lock";

    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>The lock, or null when another process holds it.</summary>
    public static DataDirectoryLock? TryAcquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix and a sharing lock on Windows.
            var stream = new FileStream(Path.Combine(dataDirectory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(Environment.ProcessId);
            writer.Flush();
            return new DataDirectoryLock(stream);
        }
        catch (IOException) { return null; }
    }

    /// <summary>True when another process holds the lock on <paramref name="dataDirectory"/>.</summary>
    public static bool IsHeld(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, FileName))) return false;
        using var probe = TryAcquire(dataDirectory);
        return probe is null;
    }

    public void Dispose() => _stream.Dispose();
}
