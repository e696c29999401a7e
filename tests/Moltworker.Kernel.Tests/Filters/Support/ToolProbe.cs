using System.Collections.Concurrent;

namespace Moltworker.Kernel.Tests.Filters.Support;

/// <summary>What the test tools saw: calls in flight and their peak, executions per idempotency key, attempts.</summary>
public sealed class ToolProbe
{
    private int _inFlight;
    private int _peak;
    private int _entered;
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _exitWaiters = [];

    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gated tools wait for this (set it to release them all).</summary>
    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentDictionary<string, TaskCompletionSource> PerCallGates { get; } = new();
    public ConcurrentQueue<string> Order { get; } = new();
    public ConcurrentDictionary<string, int> Executions { get; } = new();
    public ConcurrentQueue<(string Key, int Attempt)> Attempts { get; } = new();
    public int FlakyFailures { get; set; }
    public TimeSpan? RetryAfter { get; set; }

    public int Peak => Volatile.Read(ref _peak);
    public int InFlight => Volatile.Read(ref _inFlight);
    public int Entered => Volatile.Read(ref _entered);

    public void Enter(string key)
    {
        Executions.AddOrUpdate(key, 1, (_, n) => n + 1);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _peak)) < now && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            var entered = ++_entered;
            for (var i = _waiters.Count - 1; i >= 0; i--)
                if (_waiters[i].Count <= entered) { ready.Add(_waiters[i].Signal); _waiters.RemoveAt(i); }
        }
        foreach (var r in ready) r.TrySetResult();
    }

    public void Exit(string name)
    {
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            Order.Enqueue(name);
            for (var i = _exitWaiters.Count - 1; i >= 0; i--)
                if (_exitWaiters[i].Count <= Order.Count) { ready.Add(_exitWaiters[i].Signal); _exitWaiters.RemoveAt(i); }
        }
        Interlocked.Decrement(ref _inFlight);
        foreach (var r in ready) r.TrySetResult();
    }

    /// <summary>Completes once <paramref name="count"/> calls have finished (a generous 20 s sanity bound).</summary>
    public Task WaitExitedAsync(int count)
    {
        lock (_gate)
        {
            if (Order.Count >= count) return Task.CompletedTask;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _exitWaiters.Add((count, tcs));
            return tcs.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    public Task WaitEnteredAsync(int count)
    {
        lock (_gate)
        {
            if (_entered >= count) return Task.CompletedTask;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, tcs));
            return tcs.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }
}
