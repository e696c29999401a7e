using System.ComponentModel;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;

namespace Moltworker.Console.Tests.Support;

/// <summary>The tools of the console tests: <c>slow_look</c> (read-only, parallel-safe, 200 ms of work, then waits at
/// <see cref="CallGate"/>) and <c>write_note</c> (needs approval; records each note it writes).</summary>
public sealed class ConsoleTestTools(CallGate gate)
{
    public static readonly TimeSpan LookTime = TimeSpan.FromMilliseconds(200);

    [KernelFunction("slow_look"), ToolSafety(SideEffects = false, ParallelSafe = true), Description("Looks at a thing slowly")]
    public async Task<string> SlowLook([Description("what to look at")] string name, CancellationToken cancellationToken)
    {
        await Task.Delay(LookTime, cancellationToken);   // the call's own work, which the waterfall shows
        gate.Entered();
        await gate.Open.WaitAsync(cancellationToken);
        return $"seen {name}";
    }

    [KernelFunction("write_note"), ToolSafety(SideEffects = true, NeedsApproval = true), Description("Writes a note")]
    public string WriteNote([Description("the note")] string text)
    {
        gate.Wrote(text);
        return $"wrote {text}";
    }
}

/// <summary>Open by default; <see cref="Close"/> holds <c>slow_look</c> calls until <see cref="Release"/>. Records the
/// notes <c>write_note</c> wrote.</summary>
public sealed class CallGate
{
    private TaskCompletionSource _open = Opened();
    private readonly TaskCompletionSource<string> _wrote = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;

    public Task Open => Volatile.Read(ref _open).Task;
    public int EnteredCount => Volatile.Read(ref _entered);

    /// <summary>Completes with the first note written.</summary>
    public Task<string> FirstNote => _wrote.Task;

    public void Close() => Volatile.Write(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    public void Release() => Volatile.Read(ref _open).TrySetResult();
    internal void Entered() => Interlocked.Increment(ref _entered);
    internal void Wrote(string text) => _wrote.TrySetResult(text);

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }
}
