namespace Moltworker.Kernel.Events;

/// <summary>
/// Spaces one stream's writes so that all live streams together write at most about <c>writesPerSecond</c> times a
/// second (<c>Moltworker:Events:StreamWriteRate</c>): with <c>N</c> subscribers a stream writes at most every
/// <c>N / writesPerSecond</c> seconds on average and sends everything buffered meanwhile in one write. A thousand streams then cost
/// the host a bounded number of socket writes however many events a turn makes, instead of one write per event per
/// stream taking the turn's CPU. A gap under a millisecond (a few subscribers) is not waited for, so a lone stream sees
/// each event at once. Times are on the host's <see cref="TimeProvider"/>; the stream waits them out itself
/// (<see cref="StreamSignal"/>).
/// </summary>
public sealed class StreamPacer(EventHub hub, int writesPerSecond, TimeProvider time)
{
    private static readonly TimeSpan Smallest = TimeSpan.FromMilliseconds(1);

    private long? _lastWrite;
    private TimeSpan _gap;

    /// <summary>How long this stream must still wait before it may write (zero: it may write now).</summary>
    public TimeSpan Due()
    {
        if (writesPerSecond <= 0 || _lastWrite is not { } last) return TimeSpan.Zero;
        var due = _gap - time.GetElapsedTime(last);
        return due < Smallest ? TimeSpan.Zero : due;
    }

    /// <summary>The stream is writing now.</summary>
    public void Wrote()
    {
        _lastWrite = time.GetTimestamp();
        // Each gap is drawn from half to one and a half times the share, so streams that wrote together (they all woke
        // for the same event) drift apart instead of all writing together again: the writes spread over time.
        _gap = writesPerSecond <= 0 ? TimeSpan.Zero
            : TimeSpan.FromSeconds((double)hub.SubscriberCount / writesPerSecond * (0.5 + Random.Shared.NextDouble()));
    }
}
