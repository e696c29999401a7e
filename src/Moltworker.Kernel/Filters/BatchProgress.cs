namespace Moltworker.Kernel.Filters;

/// <summary>Counts the calls of a batch that are done: those answered before dispatch (e.g. replayed from the journal)
/// count from the start, the rest as they finish. Safe for calls finishing in parallel.</summary>
public sealed class BatchProgress
{
    private readonly Lock _gate = new();
    private int? _done;

    /// <summary>Called as each dispatched call starts: the first one, which runs before any dispatched call has
    /// finished, counts the calls that already have a result.</summary>
    public void Start(BatchContext batch)
    {
        lock (_gate) _done ??= batch.Calls.Count(c => c.Result is not null);
    }

    /// <summary>One more call is done; returns how many are.</summary>
    public int Finish()
    {
        lock (_gate) return (int)(_done = (_done ?? 0) + 1);
    }
}
