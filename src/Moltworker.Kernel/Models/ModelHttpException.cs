namespace Moltworker.Kernel.Models;

/// <summary>A failed model request: HTTP status (0 for network errors and timeouts) and the server's Retry-After.</summary>
public sealed class ModelHttpException(int status, string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public int Status { get; } = status;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Worth retrying: 408, 409, 429, 5xx, network errors and timeouts.</summary>
    public bool Transient => Status is 0 or 408 or 409 or 429 or >= 500;
}
