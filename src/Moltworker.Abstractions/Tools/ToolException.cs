namespace Moltworker.Abstractions;

/// <summary>
/// A failure whose message is meant for the model (and the user): it becomes an error result with just
/// this message, no stack trace. Set <see cref="Transient"/> when trying again later may succeed
/// (upstream 429/5xx, timeouts); the retry filter retries only those, and only for safe tools.
/// </summary>
public class ToolException(string message, bool transient = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;

    /// <summary>Seconds the upstream asked us to wait (e.g. from <c>Retry-After</c>), when known.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
