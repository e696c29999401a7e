namespace Moltworker.Kernel.Agents;

/// <summary>The tool calls one task has made across all its threads; a task's root turn makes one and its delegated
/// threads share it. Thread-safe: sibling threads take from it concurrently.</summary>
public sealed class TaskCallBudget
{
    private int _used;

    public int Used => Volatile.Read(ref _used);

    /// <summary>Takes up to <paramref name="wanted"/> calls while fewer than <paramref name="max"/> are used; returns how
    /// many were granted.</summary>
    public int Take(int wanted, int max)
    {
        while (true)
        {
            var used = Volatile.Read(ref _used);
            var granted = Math.Clamp(max - used, 0, wanted);
            if (granted == 0 || Interlocked.CompareExchange(ref _used, used + granted, used) == used) return granted;
        }
    }
}
