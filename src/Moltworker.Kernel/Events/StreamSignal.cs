using System.Threading.Tasks.Sources;

namespace Moltworker.Kernel.Events;

/// <summary>
/// One stream's wake-up, made once and reused for every wait: a wait ends when its time is up (one timer, re-armed),
/// when an event is offered to a wait that asked for events, or when the stream is cancelled. Before, each wait made a
/// delay task, a timer, a <c>WhenAny</c> and their continuations, and the waits still pending at a collection were young
/// objects held by old ones, which every gen0 collection had to mark and copy (the <c>events</c> benchmark prints the
/// collections' pauses with and without 1,000 streams); its core is <see cref="ReusableValueTaskCore{TResult}"/>, which
/// hands each wait over without an interlocked store of an object (that flags this old object's card every wait). Spurious wake-ups can happen (a
/// timer armed for an earlier wait): the caller looks again at what it waits for.
/// </summary>
public sealed class StreamSignal : IValueTaskSource, IDisposable
{
    private const int Idle = 0, WaitingForTime = 1, WaitingForEvents = 2;

    private ReusableValueTaskCore<bool> _core = new() { RunContinuationsAsynchronously = true };   // not the runtime's: see there
    private readonly ITimer _timer;
    private readonly CancellationTokenRegistration _cancelled;
    private readonly CancellationToken _stop;
    private int _state = Idle;

    public StreamSignal(TimeProvider time, CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(static s => ((StreamSignal)s!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _stop = cancellationToken;
        _cancelled = cancellationToken.UnsafeRegister(static s => ((StreamSignal)s!).Wake(), this);
    }

    /// <summary>Waits until <paramref name="timeout"/> passes (infinite: no timer) or, with <paramref name="orEvents"/>,
    /// until <see cref="OfferArrived"/>. The caller checks for events after this call returns and before awaiting
    /// (they may have arrived just before the wait began), and calls <see cref="OfferArrived"/> itself if there are.</summary>
    public ValueTask WaitAsync(TimeSpan timeout, bool orEvents)
    {
        _core.Reset();
        // A full fence, not a release write: the caller's look for events that came in just before must not be read
        // ahead of this store, or an offer made in between finds no wait and the stream sleeps through it.
        Interlocked.Exchange(ref _state, orEvents ? WaitingForEvents : WaitingForTime);
        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        if (_stop.IsCancellationRequested) Wake();   // cancelled before this wait began: its one wake-up found no wait
        return new ValueTask(this, _core.Version);
    }

    /// <summary>An event was offered: wakes a wait that asked for events (nothing otherwise).</summary>
    public void OfferArrived()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, WaitingForEvents) == WaitingForEvents) _core.SetResult(true);
    }

    private void Wake()
    {
        var was = Interlocked.Exchange(ref _state, Idle);
        if (was != Idle) _core.SetResult(true);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public void Dispose()
    {
        _cancelled.Dispose();
        _timer.Dispose();
    }
}
