using System.ComponentModel;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.EndToEnd.Tests.Events;

/// <summary>A read-only, parallel-safe tool for event tests; it answers when <see cref="ToolGate"/> is open.</summary>
public sealed class EventTestTools(ToolGate gate)
{
    [KernelFunction("look"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Looks at a thing")]
    public async Task<string> Look([Description("what to look at")] string name, CancellationToken cancellationToken)
    {
        gate.Entered();
        await gate.Open.WaitAsync(cancellationToken);
        return $"seen {name}";
    }
}

/// <summary>Open by default; <see cref="Close"/> holds calls until <see cref="Release"/>. <see cref="FirstEntered"/> completes
/// when a call waits at the gate.</summary>
public sealed class ToolGate
{
    private TaskCompletionSource _open = Completed();
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Open => Volatile.Read(ref _open).Task;
    public Task FirstEntered => _entered.Task;

    public void Close() => Volatile.Write(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    public void Release() => Volatile.Read(ref _open).TrySetResult();
    internal void Entered() => _entered.TrySetResult();

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
