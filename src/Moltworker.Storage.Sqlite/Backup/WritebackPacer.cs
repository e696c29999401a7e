using Microsoft.Win32.SafeHandles;

namespace Moltworker.Storage.Sqlite.Backup;

/// <summary>
/// Flushes a file being written to disk every <see cref="Interval"/> while it grows. Without it, a 1 GB backup sits in
/// the page cache as dirty pages until its final commit flushes them all at once, and for those seconds every fsync on
/// the same file system (the running host's WAL commits) waits behind it: a turn took 4 s during a 1 GB backup. Flushed
/// a few tens of megabytes at a time, the host's commits wait at most for one such slice.
/// </summary>
internal sealed class WritebackPacer : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public WritebackPacer(string path) => _loop = Task.Run(() => LoopAsync(path, _stop.Token));

    private static async Task LoopAsync(string path, CancellationToken stop)
    {
        SafeFileHandle? handle = null;
        try
        {
            using var timer = new PeriodicTimer(Interval);
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    handle ??= File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                    RandomAccess.FlushToDisk(handle);
                }
                catch (IOException) { /* not created yet, or gone: the backup reports its own errors */ }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            handle?.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _loop.Wait(TimeSpan.FromSeconds(10)); }
        catch (AggregateException) { }
        _stop.Dispose();
    }
}
