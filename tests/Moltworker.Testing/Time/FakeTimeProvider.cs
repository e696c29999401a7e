namespace Moltworker.Testing.Time;

/// <summary>
/// A manual clock for tests: time moves only on <see cref="Advance"/> (or <see cref="SetUtcNow"/>), and timers
/// created through <see cref="CreateTimer"/> (so also <c>Task.Delay(d, time)</c>, Polly delays, CancellationTokenSource
/// timeouts built on this provider) fire during the advance, in due order. With <see cref="AutoAdvance"/> every new
/// timer fires at once (on the thread pool) and the clock jumps to its due time: code that waits runs through without
/// the test stepping the clock, and <see cref="RequestedDelays"/> tells what it asked for.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly List<TimeSpan> _requested = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly DateTimeOffset _epoch;
    private DateTimeOffset _now;

    public FakeTimeProvider() : this(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero)) { }

    public FakeTimeProvider(DateTimeOffset start) => _epoch = _now = start;

    /// <summary>New timers fire right away (asynchronously), moving the clock to their due time.</summary>
    public bool AutoAdvance { get; set; }

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    public override long GetTimestamp() { lock (_gate) return (_now - _epoch).Ticks; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Every finite, non-negative due time passed to a timer so far (e.g. the retry delays Polly asked for).</summary>
    public IReadOnlyList<TimeSpan> RequestedDelays { get { lock (_gate) return _requested.ToArray(); } }

    /// <summary>Timers waiting to fire.</summary>
    public int PendingTimers { get { lock (_gate) return _timers.Count(t => t.Due is not null); } }

    /// <summary>Completes once at least <paramref name="count"/> timers are waiting (await it, then <see cref="Advance"/>).</summary>
    public Task WaitForPendingTimersAsync(int count = 1)
    {
        lock (_gate)
        {
            if (_timers.Count(t => t.Due is not null) >= count) return Task.CompletedTask;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, tcs));
            return tcs.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way (periodic ones repeatedly).</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate) target = _now + delta;
        AdvanceTo(target);
    }

    /// <summary>Sets the clock (forward only), firing the timers that fall due.</summary>
    public void SetUtcNow(DateTimeOffset value) => AdvanceTo(value);

    private void AdvanceTo(DateTimeOffset target)
    {
        while (true)
        {
            FakeTimer? next;
            lock (_gate)
            {
                if (target < _now) return;
                next = _timers.Where(t => t.Due is { } d && d <= target).MinBy(t => t.Due!.Value);
                if (next is null) { _now = target; return; }
                if (next.Due!.Value > _now) _now = next.Due.Value;
                next.Due = next.Period is { } p ? _now + p : null;
            }
            next.Fire();
        }
    }

    internal bool Schedule(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<TaskCompletionSource>? ready = null;
        bool fireNow, auto;
        DateTimeOffset due;
        lock (_gate)
        {
            if (!_timers.Contains(timer)) return false;
            timer.Period = period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan ? period : null;
            if (dueTime == Timeout.InfiniteTimeSpan) { timer.Due = null; return true; }
            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
            _requested.Add(dueTime);
            due = _now + dueTime;
            fireNow = dueTime == TimeSpan.Zero;
            auto = AutoAdvance;
            timer.Due = fireNow ? (timer.Period is { } p ? _now + p : null) : due;
            var pending = _timers.Count(t => t.Due is not null);
            for (var i = _waiters.Count - 1; i >= 0; i--)
                if (_waiters[i].Count <= pending) { (ready ??= []).Add(_waiters[i].Signal); _waiters.RemoveAt(i); }
        }
        ready?.ForEach(s => s.TrySetResult());
        // Never call back synchronously from CreateTimer/Change: callers (Task.Delay) may not hold the timer yet.
        if (fireNow) ThreadPool.QueueUserWorkItem(_ => timer.Fire());
        else if (auto) ThreadPool.QueueUserWorkItem(_ => AdvanceTo(due));
        return true;
    }

    internal void Remove(FakeTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
    }

    internal sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        internal DateTimeOffset? Due { get; set; }
        internal TimeSpan? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => owner.Schedule(this, dueTime, period);

        internal void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
