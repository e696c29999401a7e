namespace Moltworker.Testing.Time;

/// <summary>
/// A manual clock for tests: time moves only on <see cref="Advance"/> (or <see cref="SetUtcNow"/>), and timers
/// created through <see cref="CreateTimer"/> (so also <c>Task.Delay(d, time)</c>, Polly delays, CancellationTokenSource
/// timeouts built on this provider) fire during the advance, in due order. With <see cref="AutoAdvance"/> every new
/// timer fires at once (on the thread pool) and the clock jumps to its due time: code that waits runs through without
/// the test stepping the clock, and <see cref="RequestedDelays"/> tells what it asked for.
/// <para>To step the clock at the right moment a test awaits <see cref="WaitForTimerAsync(Func{TimeSpan, bool})"/>: it
/// completes once the code under test waits on a timer whose delay (the time left until it fires) matches, and returns
/// that delay, ready to pass to <see cref="Advance"/>.</para>
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly List<TimeSpan> _requested = [];
    private readonly List<Waiter> _waiters = [];
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

    /// <summary>How far the clock has moved since it was created.</summary>
    public TimeSpan Elapsed { get { lock (_gate) return _now - _epoch; } }

    /// <summary>Timers waiting to fire.</summary>
    public int PendingTimers { get { lock (_gate) return _timers.Count(t => t.Due is not null); } }

    /// <summary>The delays (time left until due) of the timers waiting to fire, soonest first.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays { get { lock (_gate) return PendingDelaysLocked(); } }

    /// <summary>Completes once at least <paramref name="count"/> timers are waiting (await it, then <see cref="Advance"/>).</summary>
    public Task WaitForPendingTimersAsync(int count = 1)
    {
        lock (_gate)
        {
            if (_timers.Count(t => t.Due is not null) >= count) return Task.CompletedTask;
            var waiter = new Waiter(count, null);
            _waiters.Add(waiter);
            return waiter.Signal.Task;
        }
    }

    /// <summary>
    /// Completes once a timer is waiting whose delay (the time left until it fires) matches <paramref name="match"/>
    /// (any timer when null), whether it is already waiting or armed later, and returns that delay (the soonest one
    /// when several match). The delays are checked whenever a timer is armed and after every advance. Fails with a
    /// <see cref="TimeoutException"/> naming the pending delays when no such timer shows up within
    /// <see cref="WaitTimeout"/> of real time. <paramref name="match"/> runs under the clock's lock: keep it a pure
    /// test of the delay.
    /// </summary>
    public async Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool>? match = null)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (Matching(match) is { } found) return found;
            waiter = new Waiter(1, match);
            _waiters.Add(waiter);
        }
        try
        {
            return await waiter.Signal.Task.WaitAsync(WaitTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            string pending;
            lock (_gate)
            {
                _waiters.Remove(waiter);
                pending = string.Join(", ", PendingDelaysLocked());
            }
            throw new TimeoutException($"No matching timer was armed within {WaitTimeout.TotalSeconds} s; pending delays: [{pending}].");
        }
    }

    /// <summary>Completes once a timer is waiting that fires in exactly <paramref name="delay"/>.</summary>
    public Task<TimeSpan> WaitForTimerAsync(TimeSpan delay) => WaitForTimerAsync(d => d == delay);

    /// <summary>Real time <see cref="WaitForTimerAsync(Func{TimeSpan, bool})"/> waits before it gives up (30 s).</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

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
                if (next is null) { _now = target; break; }
                if (next.Due!.Value > _now) _now = next.Due.Value;
                next.Due = next.Period is { } p ? _now + p : null;
            }
            next.Fire();
        }
        // Time left until due shrank for every waiting timer: a delay a waiter asks for may match now.
        List<(TaskCompletionSource<TimeSpan>, TimeSpan)>? ready;
        lock (_gate) ready = ReadyWaitersLocked();
        Complete(ready);
    }

    internal bool Schedule(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<(TaskCompletionSource<TimeSpan>, TimeSpan)>? ready;
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
            ready = ReadyWaitersLocked();
        }
        Complete(ready);
        // Never call back synchronously from CreateTimer/Change: callers (Task.Delay) may not hold the timer yet.
        if (fireNow) ThreadPool.QueueUserWorkItem(_ => timer.Fire());
        else if (auto) ThreadPool.QueueUserWorkItem(_ => AdvanceTo(due));
        return true;
    }

    private List<TimeSpan> PendingDelaysLocked() =>
        [.. _timers.Where(t => t.Due is not null).Select(t => t.Due!.Value - _now).Order()];

    /// <summary>The soonest pending delay that <paramref name="match"/> accepts (any when null), or null.</summary>
    private TimeSpan? Matching(Func<TimeSpan, bool>? match)
    {
        foreach (var delay in PendingDelaysLocked())
            if (match is null || match(delay)) return delay;
        return null;
    }

    /// <summary>Removes and returns the waiters the pending timers now satisfy, with the delay each gets.</summary>
    private List<(TaskCompletionSource<TimeSpan>, TimeSpan)>? ReadyWaitersLocked()
    {
        if (_waiters.Count == 0) return null;
        List<(TaskCompletionSource<TimeSpan>, TimeSpan)>? ready = null;
        var pending = _timers.Count(t => t.Due is not null);
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (waiter.Count > pending) continue;
            TimeSpan delay;
            if (waiter.Match is null) delay = PendingDelaysLocked()[0];
            else if (Matching(waiter.Match) is { } found) delay = found;
            else continue;
            (ready ??= []).Add((waiter.Signal, delay));
            _waiters.RemoveAt(i);
        }
        return ready;
    }

    private static void Complete(List<(TaskCompletionSource<TimeSpan> Signal, TimeSpan Delay)>? ready) =>
        ready?.ForEach(r => r.Signal.TrySetResult(r.Delay));

    internal void Remove(FakeTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
    }

    /// <summary>A test waiting for <see cref="Count"/> pending timers, or for one whose delay matches.</summary>
    private sealed class Waiter(int count, Func<TimeSpan, bool>? match)
    {
        public int Count { get; } = count;
        public Func<TimeSpan, bool>? Match { get; } = match;
        public TaskCompletionSource<TimeSpan> Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
