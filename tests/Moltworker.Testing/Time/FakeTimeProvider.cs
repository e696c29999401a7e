using LibraryFakeTimeProvider = Microsoft.Extensions.Time.Testing.FakeTimeProvider;

namespace Moltworker.Testing.Time;

/// <summary>
/// The tests' manual clock: the library's <see cref="LibraryFakeTimeProvider"/> (its clock, its timers and the order
/// it fires them in) with what our tests need on top. Time moves only on <see cref="Advance"/> (or
/// <see cref="SetUtcNow"/>), and timers created through <see cref="CreateTimer"/> (so also <c>Task.Delay(d, time)</c>,
/// Polly delays, CancellationTokenSource timeouts built on this provider) fire during the advance, in due order, each
/// seeing the clock at its own due time. With <see cref="AutoAdvance"/> every new timer fires at once (on the thread
/// pool) and the clock jumps to its due time: code that waits runs through without the test stepping the clock, and
/// <see cref="RequestedDelays"/> tells what it asked for.
/// <para>To step the clock at the right moment a test awaits <see cref="WaitForTimerAsync(Func{TimeSpan, bool})"/>: it
/// completes once the code under test waits on a timer whose delay (the time left until it fires) matches, and returns
/// that delay, ready to pass to <see cref="Advance"/>.</para>
/// <para>What differs from the library on its own (docs/development.md#the-test-clock): <see cref="Advance"/> steps
/// from due time to due time instead of jumping to the end first, so a callback that arms a new timer sees its own due
/// time and the new timer fires in the same advance when it falls inside it; a timer due at once fires on the thread
/// pool, never inside <see cref="CreateTimer"/> or <see cref="ITimer.Change"/>; setting the clock back is ignored
/// rather than thrown; the default start is 2026-01-01 12:00 UTC.</para>
/// </summary>
public sealed class FakeTimeProvider : LibraryFakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly HashSet<TrackedTimer> _armed = [];
    private readonly List<TimeSpan> _requested = [];
    private readonly List<Waiter> _waiters = [];

    public FakeTimeProvider() : this(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero)) { }

    public FakeTimeProvider(DateTimeOffset start) : base(start) { }

    /// <summary>New timers fire right away (asynchronously), moving the clock to their due time.</summary>
    public bool AutoAdvance { get; set; }

    /// <summary>Every finite, non-negative due time passed to a timer so far (e.g. the retry delays Polly asked for).</summary>
    public IReadOnlyList<TimeSpan> RequestedDelays { get { lock (_gate) return _requested.ToArray(); } }

    /// <summary>How far the clock has moved since it was created.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Start;

    /// <summary>Timers waiting to fire.</summary>
    public int PendingTimers { get { lock (_gate) return _armed.Count; } }

    /// <summary>The delays (time left until due) of the timers waiting to fire, soonest first.</summary>
    public IReadOnlyList<TimeSpan> PendingDelays
    {
        get
        {
            var now = GetUtcNow();
            lock (_gate) return PendingDelaysLocked(now);
        }
    }

    /// <summary>Real time <see cref="WaitForTimerAsync(Func{TimeSpan, bool})"/> waits before it gives up (30 s).</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Completes once at least <paramref name="count"/> timers are waiting (await it, then <see cref="Advance"/>).</summary>
    public Task WaitForPendingTimersAsync(int count = 1)
    {
        lock (_gate)
        {
            if (_armed.Count >= count) return Task.CompletedTask;
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
        var now = GetUtcNow();
        Waiter waiter;
        lock (_gate)
        {
            if (Matching(match, PendingDelaysLocked(now)) is { } found) return found;
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
            now = GetUtcNow();
            lock (_gate)
            {
                _waiters.Remove(waiter);
                pending = string.Join(", ", PendingDelaysLocked(now));
            }
            throw new TimeoutException($"No matching timer was armed within {WaitTimeout.TotalSeconds} s; pending delays: [{pending}].");
        }
    }

    /// <summary>Completes once a timer is waiting that fires in exactly <paramref name="delay"/>.</summary>
    public Task<TimeSpan> WaitForTimerAsync(TimeSpan delay) => WaitForTimerAsync(d => d == delay);

    /// <summary>A library timer wrapped so that this clock knows when it is due (for the waits and the stepping).</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new TrackedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(static s => ((TrackedTimer)s!).OnLibraryFired(), timer, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way (periodic ones repeatedly), each
    /// at its due time.</summary>
    public new void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        AdvanceTo(GetUtcNow() + delta);
    }

    /// <summary>Sets the clock (forward only; an earlier time is ignored), firing the timers that fall due.</summary>
    public new void SetUtcNow(DateTimeOffset value) => AdvanceTo(value);

    /// <summary>Sets the clock without firing timers; the waiting ones keep the time they have left (as the library's).</summary>
    public new void AdjustTime(DateTimeOffset value)
    {
        var shift = value - GetUtcNow();
        lock (_gate)
        {
            foreach (var timer in _armed) timer.Due += shift;
        }
        base.AdjustTime(value);
    }

    /// <summary>The library fires every timer due by the time it is set to; stepping through the due times one by one
    /// lets a callback see its own due time and lets a timer it arms fire within the same advance.</summary>
    private void AdvanceTo(DateTimeOffset target)
    {
        while (true)
        {
            var now = GetUtcNow();
            if (target < now) break;
            DateTimeOffset? next;
            lock (_gate) next = _armed.Where(t => t.Due > now && t.Due <= target).Select(t => (DateTimeOffset?)t.Due).Min();
            var step = next ?? target;
            try
            {
                base.SetUtcNow(step);
            }
            catch (ArgumentOutOfRangeException) when (GetUtcNow() > step)
            {
                // Another thread (an auto-advance) moved the clock past this step meanwhile; go on from there.
            }
            if (next is null) break;
        }
        CompleteReadyWaiters();
    }

    /// <summary>Records a (re)arming and tells the waiters; a timer due at once is fired on the thread pool.</summary>
    private bool Schedule(TrackedTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan) ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        var periodic = period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan;
        int generation;
        lock (_gate)
        {
            if (timer.Disposed) return false;
            generation = ++timer.Generation;
            timer.Period = periodic ? period : null;
            _armed.Remove(timer);
            if (dueTime != Timeout.InfiniteTimeSpan) _requested.Add(dueTime);
        }
        // Never call back synchronously from CreateTimer/Change (the library would): callers such as Task.Delay may
        // not hold the timer yet. A periodic one due at once is armed for its next period; the first tick is queued.
        var fireNow = dueTime == TimeSpan.Zero;
        var libraryDue = fireNow ? (periodic ? period : Timeout.InfiniteTimeSpan) : dueTime;
        timer.Inner!.Change(libraryDue, periodic && libraryDue != Timeout.InfiniteTimeSpan ? period : Timeout.InfiniteTimeSpan);
        // Read after the library armed it: never earlier than the library's own reading, so stepping to this due time
        // always reaches the library's (they differ only when another thread moved the clock meanwhile).
        var armedAt = GetUtcNow();
        if (libraryDue != Timeout.InfiniteTimeSpan)
        {
            lock (_gate)
            {
                if (timer.Generation == generation && !timer.Disposed && timer.FiredGeneration != generation)
                {
                    timer.Due = armedAt + libraryDue;
                    _armed.Add(timer);
                }
            }
        }
        CompleteReadyWaiters();
        if (fireNow) ThreadPool.QueueUserWorkItem(static t => t.Invoke(), timer, preferLocal: false);
        else if (AutoAdvance && dueTime != Timeout.InfiniteTimeSpan)
            ThreadPool.QueueUserWorkItem(static s => s.Clock.AdvanceTo(s.Due), (Clock: this, Due: armedAt + dueTime), preferLocal: false);
        return true;
    }

    /// <summary>The library fired the timer: a one-shot one is no longer waiting, a periodic one is due a period later
    /// (from now when its callback moved the clock, as the library reschedules it).</summary>
    private void Fired(TrackedTimer timer)
    {
        int generation;
        var firedAt = GetUtcNow();
        lock (_gate)
        {
            generation = timer.Generation;
            if (timer.Period is null)
            {
                timer.FiredGeneration = generation;
                _armed.Remove(timer);
            }
        }
        timer.Invoke();
        var after = GetUtcNow();
        lock (_gate)
        {
            if (timer.Period is { } period && timer.Generation == generation && _armed.Contains(timer))
                timer.Due = after != firedAt ? after + period : timer.Due + period;
        }
    }

    private void Remove(TrackedTimer timer)
    {
        lock (_gate)
        {
            timer.Disposed = true;
            _armed.Remove(timer);
        }
        timer.Inner?.Dispose();
    }

    private List<TimeSpan> PendingDelaysLocked(DateTimeOffset now) => [.. _armed.Select(t => t.Due - now).Order()];

    /// <summary>The soonest pending delay that <paramref name="match"/> accepts (any when null), or null.</summary>
    private static TimeSpan? Matching(Func<TimeSpan, bool>? match, List<TimeSpan> pending)
    {
        foreach (var delay in pending)
            if (match is null || match(delay)) return delay;
        return null;
    }

    /// <summary>Completes the waiters the pending timers now satisfy, each with the delay it gets.</summary>
    private void CompleteReadyWaiters()
    {
        var now = GetUtcNow();
        List<(TaskCompletionSource<TimeSpan> Signal, TimeSpan Delay)>? ready = null;
        lock (_gate)
        {
            if (_waiters.Count == 0) return;
            var pending = PendingDelaysLocked(now);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var waiter = _waiters[i];
                if (waiter.Count > pending.Count) continue;
                if (Matching(waiter.Match, pending) is not { } delay) continue;
                (ready ??= []).Add((waiter.Signal, delay));
                _waiters.RemoveAt(i);
            }
        }
        ready?.ForEach(r => r.Signal.TrySetResult(r.Delay));
    }

    /// <summary>A test waiting for <see cref="Count"/> pending timers, or for one whose delay matches.</summary>
    private sealed class Waiter(int count, Func<TimeSpan, bool>? match)
    {
        public int Count { get; } = count;
        public Func<TimeSpan, bool>? Match { get; } = match;
        public TaskCompletionSource<TimeSpan> Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The timer handed out: the library's timer inside, and when it is due (guarded by the clock's lock).</summary>
    private sealed class TrackedTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        internal ITimer? Inner { get; set; }
        internal DateTimeOffset Due { get; set; }
        internal TimeSpan? Period { get; set; }
        internal int Generation { get; set; }
        internal int FiredGeneration { get; set; }
        internal bool Disposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => owner.Schedule(this, dueTime, period);

        internal void OnLibraryFired() => owner.Fired(this);

        internal void Invoke() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
