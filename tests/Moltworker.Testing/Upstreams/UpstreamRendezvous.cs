namespace Moltworker.Testing.Upstreams;

/// <summary>A meeting of <paramref name="parties"/> requests: each waits in <see cref="ArriveAsync"/> until all have arrived.
/// Proves that calls run in parallel without timing them.</summary>
public sealed class UpstreamRendezvous(int parties)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public int Arrived => Volatile.Read(ref _arrived);

    public Task ArriveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _arrived) >= parties) _all.TrySetResult();
        return _all.Task.WaitAsync(cancellationToken);
    }
}
