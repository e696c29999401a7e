namespace Moltworker.Kernel.Tests.Filters.Support;

/// <summary>A TimeProvider whose time moves only on <see cref="Advance"/>; timers fire during the advance, in due order.
/// <see cref="WaitForTimerAsync"/> lets a test wait until the code under test has armed a timer of a given due time.</summary>
public sealed class ManualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<Timer> _timers = [];
    private readonly List<(TimeSpan Due, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<TimeSpan> _requested = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly DateTimeOffset _start;

    public ManualClock() => _start = _now;

    public TimeSpan Elapsed { get { lock (_gate) return _now - _start; } }

    public IReadOnlyList<TimeSpan> RequestedDelays { get { lock (_gate) return _requested.ToArray(); } }

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }
    public override long GetTimestamp() { lock (_gate) return (_now - _start).Ticks; }
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Completes when a timer with this due time is armed (now or later).</summary>
    public Task WaitForTimerAsync(TimeSpan due)
    {
        lock (_gate)
        {
            if (_timers.Any(t => t.Armed && t.DueTime == due)) return Task.CompletedTask;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((due, tcs));
            return tcs.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan delta)
    {
        DateTimeOffset target;
        lock (_gate) target = _now + delta;
        while (true)
        {
            Timer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Armed && t.Due <= target).MinBy(t => t.Due);
                if (next is null) { _now = target; return; }
                _now = next.Due;
                next.Armed = false;
            }
            next.Fire();
        }
    }

    private sealed class Timer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public bool Armed;
        public DateTimeOffset Due;
        public TimeSpan DueTime;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            List<TaskCompletionSource> ready = [];
            lock (clock._gate)
            {
                Armed = dueTime != Timeout.InfiniteTimeSpan;
                DueTime = dueTime;
                Due = clock._now + (Armed ? dueTime : TimeSpan.Zero);
                if (Armed)
                {
                    clock._requested.Add(dueTime);
                    for (var i = clock._waiters.Count - 1; i >= 0; i--)
                        if (clock._waiters[i].Due == dueTime) { ready.Add(clock._waiters[i].Signal); clock._waiters.RemoveAt(i); }
                }
            }
            if (Armed && dueTime == TimeSpan.Zero) { lock (clock._gate) Armed = false; ThreadPool.QueueUserWorkItem(_ => callback(state)); }
            foreach (var r in ready) r.TrySetResult();
            return true;
        }

        public void Dispose() { lock (clock._gate) { Armed = false; clock._timers.Remove(this); } }
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
