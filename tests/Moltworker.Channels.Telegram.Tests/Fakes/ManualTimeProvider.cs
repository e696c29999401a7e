namespace Moltworker.Channels.Telegram.Tests.Fakes;

/// <summary>A clock that moves only when the test calls <see cref="Advance"/>. Tests await
/// <see cref="WaitForTimerAsync"/> to know that code is now waiting on a timer.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    /// <summary>Due times of the timers now waiting.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays
    {
        get { lock (_gate) return [.. _timers.Where(t => t.Due is not null).Select(t => t.Due!.Value - _now)]; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Waits until a timer with a due time is pending (and returns its delay).</summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            Task created;
            lock (_gate)
            {
                var pending = _timers.Where(t => t.Due is not null).Select(t => t.Due!.Value - _now).Where(d => match is null || match(d)).ToList();
                if (pending.Count > 0) return pending.Min();
                created = _timerCreated.Task;
            }
            await created.WaitAsync(cts.Token);
        }
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = [.. _timers.Where(t => t.Due <= _now)];
            foreach (var t in due) t.Due = t.Period is { } p && p > TimeSpan.Zero ? _now + p : null;
        }
        foreach (var t in due) t.Fire();
    }

    private void Changed()
    {
        TaskCompletionSource old;
        lock (_gate) { old = _timerCreated; _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously); }
        old.TrySetResult();
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }
        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
            }
            if (dueTime == TimeSpan.Zero) { Fire(); return true; }
            owner.Changed();
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() { lock (owner._gate) { Due = null; owner._timers.Remove(this); } }

        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}
