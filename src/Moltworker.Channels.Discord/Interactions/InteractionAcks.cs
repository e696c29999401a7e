using System.Collections.Concurrent;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// The deferred response must reach Discord before the original response can be edited. The accepting side
/// registers an interaction before it is queued and completes it once the deferral was sent; the handler waits.
/// Unknown ids (items from before a restart) do not wait.
/// </summary>
public sealed class InteractionAcks
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pending = new(StringComparer.Ordinal);

    public void Register(string interactionId) =>
        _pending.TryAdd(interactionId, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Complete(string interactionId)
    {
        if (_pending.TryGetValue(interactionId, out var tcs)) tcs.TrySetResult();
    }

    public async Task WaitAsync(string interactionId, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!_pending.TryGetValue(interactionId, out var tcs)) return;
        try { await tcs.Task.WaitAsync(timeout, time, cancellationToken); }
        catch (TimeoutException) { /* edit anyway; Discord says if it is too early */ }
        finally { _pending.TryRemove(interactionId, out _); }
    }
}
