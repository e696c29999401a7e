namespace Moltworker.Benchmarks.Approvals;

/// <summary>The system clock, counting the timers created through it that are still alive (created and not disposed)
/// and how often their callbacks ran: injected into the host, it shows whether a pending request holds a timer.</summary>
public sealed class CountingTimeProvider : TimeProvider
{
    private long _live;
    private long _fired;

    public long LiveTimers => Interlocked.Read(ref _live);
    public long Fired => Interlocked.Read(ref _fired);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow();
    public override long GetTimestamp() => System.GetTimestamp();
    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;
    public override long TimestampFrequency => System.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _live);
        var inner = System.CreateTimer(s =>
        {
            Interlocked.Increment(ref _fired);
            callback(s);
        }, state, dueTime, period);
        return new Counted(inner, this);
    }

    private sealed class Counted(ITimer inner, CountingTimeProvider owner) : ITimer
    {
        private int _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref owner._live);
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref owner._live);
            return inner.DisposeAsync();
        }
    }
}
