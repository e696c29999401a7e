namespace Moltworker.Channels.Discord.Tests.Time;

/// <summary>
/// A TimeProvider whose clock moves only when a test calls <see cref="Advance"/>. Timers fire during Advance.
/// <see cref="WaitForTimerAsync"/> lets a test wait until code under test has started waiting.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Tcs)> _waiters = [];
    private DateTimeOffset _now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    public override long GetTimestamp() { lock (_gate) return _now.UtcTicks; }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Every due time requested so far (timers created or changed), in order.</summary>
    public List<TimeSpan> Requested { get; } = [];

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt is { } at && at <= _now).OrderBy(t => t.DueAt).ToList();
            foreach (var t in due) t.DueAt = null;
        }
        foreach (var t in due) t.Fire();
    }

    /// <summary>Completes when a timer with a due time matching <paramref name="match"/> (any, when null) is pending.</summary>
    public Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool>? match = null)
    {
        match ??= _ => true;
        lock (_gate)
        {
            foreach (var t in _timers)
                if (t.DueAt is { } at && match(at - _now)) return Task.FromResult(at - _now);
            var tcs = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, tcs));
            return tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime)
    {
        List<TaskCompletionSource<TimeSpan>> wake = [];
        lock (_gate)
        {
            Requested.Add(dueTime);
            timer.DueAt = _now + dueTime;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(dueTime)) continue;
                wake.Add(_waiters[i].Tcs);
                _waiters.RemoveAt(i);
            }
        }
        foreach (var w in wake) w.TrySetResult(dueTime);
    }

    private void Remove(ManualTimer timer) { lock (_gate) _timers.Remove(timer); }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        public DateTimeOffset? DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            if (dueTime == Timeout.InfiniteTimeSpan) { DueAt = null; return true; }
            if (dueTime == TimeSpan.Zero) { DueAt = null; ThreadPool.QueueUserWorkItem(_ => callback(state)); return true; }
            owner.Schedule(this, dueTime);
            return true;
        }

        public void Fire()
        {
            if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan) owner.Schedule(this, _period);
            callback(state);
        }

        public void Dispose() { DueAt = null; owner.Remove(this); }
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
