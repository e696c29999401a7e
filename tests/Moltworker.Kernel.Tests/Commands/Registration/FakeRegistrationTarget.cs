using Moltworker.Kernel.Commands.Registration;

namespace Moltworker.Kernel.Tests.Commands.Registration;

/// <summary>A platform in memory: records every list registered, fails the calls the test scripts to fail.</summary>
internal sealed class FakeRegistrationTarget : ICommandRegistrationTarget<IReadOnlyList<string>>
{
    private readonly Lock _gate = new();
    private readonly Queue<Exception> _failures = new();
    private readonly List<IReadOnlyList<string>> _registered = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private IReadOnlyList<string> _commands;

    public FakeRegistrationTarget(params string[] commands) => _commands = commands;

    public string Platform => "Fake";

    public string Identity { get; set; } = "bot-1";

    /// <summary>Every call of <see cref="RegisterAsync"/>, failed or not.</summary>
    public int Attempts { get; private set; }

    public Func<Exception, TimeSpan?> RetryAfterOf { get; set; } = _ => null;

    public IReadOnlyList<IReadOnlyList<string>> Registered { get { lock (_gate) return [.. _registered]; } }

    public event Action? Changed;

    /// <summary>Replaces the list and raises Changed (as a plugin load does).</summary>
    public void Change(params string[] commands)
    {
        lock (_gate) _commands = commands;
        Changed?.Invoke();
    }

    /// <summary>Raises Changed without a change (a plugin reloaded with the same tools).</summary>
    public void Touch() => Changed?.Invoke();

    /// <summary>The next <paramref name="count"/> calls fail with <paramref name="error"/>.</summary>
    public void FailNext(int count, Func<Exception> error)
    {
        lock (_gate) for (var i = 0; i < count; i++) _failures.Enqueue(error());
    }

    public Task WaitForRegistrationsAsync(int count)
    {
        lock (_gate)
        {
            if (_registered.Count >= count) return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    public CommandList<IReadOnlyList<string>> Current()
    {
        lock (_gate) return new(_commands, _commands.Count, string.Join('\n', _commands));
    }

    public ValueTask<string> GetStoreKeyAsync(CancellationToken cancellationToken) => ValueTask.FromResult("fake:commands:" + Identity);

    public Task RegisterAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken)
    {
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            Attempts++;
            if (_failures.TryDequeue(out var error)) throw error;
            _registered.Add(commands);
            for (var i = _waiters.Count - 1; i >= 0; i--)
                if (_waiters[i].Count <= _registered.Count) { ready.Add(_waiters[i].Signal); _waiters.RemoveAt(i); }
        }
        ready.ForEach(s => s.TrySetResult());
        return Task.CompletedTask;
    }

    public TimeSpan? RetryAfter(Exception error) => RetryAfterOf(error);
}
