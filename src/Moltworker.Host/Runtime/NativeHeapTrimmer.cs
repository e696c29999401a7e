namespace Moltworker.Host.Runtime;

/// <summary>
/// Gives malloc's free memory back to the system at a fixed interval (<see cref="NativeHeap.Trim"/>). glibc returns
/// freed memory only from the top of an arena, so memory freed in the middle (SQLite's statements and page-cache pages,
/// the runtime's and OpenSSL's short-lived native buffers) stays resident until reused; a trim releases the whole free
/// pages. What malloc holds free is then bounded by what is freed within one interval.
/// </summary>
public sealed class NativeHeapTrimmer : IDisposable
{
    private readonly ITimer _timer;
    private int _trims;

    public NativeHeapTrimmer(TimeSpan interval, TimeProvider time, Action trim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _timer = time.CreateTimer(_ =>
        {
            trim();
            Interlocked.Increment(ref _trims);
        }, null, interval, interval);
    }

    /// <summary>How many trims have run.</summary>
    public int Trims => Volatile.Read(ref _trims);

    public void Dispose() => _timer.Dispose();
}
