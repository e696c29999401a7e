using System.Collections.Concurrent;

namespace Moltworker.Channels.Discord.Tests.Support;

/// <summary>Holds the sample plugin's slow tool until a test releases it, and records what ran, in order.</summary>
public sealed class ToolGate
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Log { get; } = new();

    public Task Entered => _entered.Task;

    public void Release() => _release.TrySetResult();

    public async Task HoldAsync(CancellationToken cancellationToken)
    {
        Log.Enqueue("slow:start");
        _entered.TrySetResult();
        await _release.Task.WaitAsync(cancellationToken);
        Log.Enqueue("slow:end");
    }
}
