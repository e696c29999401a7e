using Moltworker.Kernel.Chat;

namespace Moltworker.Host.Endpoints.HttpChat;

/// <summary>
/// The answers /api/chat requests are waiting for, keyed by inbox item (<see cref="HttpChatItem.ExternalId"/>): the request
/// that submits an item waits here, so does a second request with the same messageId while the first is still waiting,
/// and the inbox handler completes the entry when the item's turn is done.
/// </summary>
public sealed class PendingReplies
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<ChatReply>> _waiting = new(StringComparer.Ordinal);

    /// <summary>The answer for <paramref name="key"/>; <paramref name="first"/> is true when no request waited for it yet
    /// (the caller then submits the item).</summary>
    public Task<ChatReply> Join(string key, out bool first)
    {
        lock (_gate)
        {
            first = !_waiting.TryGetValue(key, out var waiting);
            if (first) _waiting[key] = waiting = new TaskCompletionSource<ChatReply>(TaskCreationOptions.RunContinuationsAsynchronously);
            return waiting!.Task;
        }
    }

    /// <summary>Whether a request waits for the answer of <paramref name="key"/>.</summary>
    public bool IsAwaited(string key) { lock (_gate) return _waiting.ContainsKey(key); }

    public void Complete(string key, ChatReply reply) => Take(key)?.TrySetResult(reply);

    public void Fail(string key, Exception error) => Take(key)?.TrySetException(error);

    private TaskCompletionSource<ChatReply>? Take(string key)
    {
        lock (_gate) return _waiting.Remove(key, out var waiting) ? waiting : null;
    }
}
