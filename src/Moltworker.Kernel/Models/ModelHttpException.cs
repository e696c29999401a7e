using Moltworker.Kernel.Http;

namespace Moltworker.Kernel.Models;

/// <summary>A failed model request: HTTP status (0 for network errors and timeouts) and the server's Retry-After.</summary>
public sealed class ModelHttpException(int status, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner), ITransientHttpFailure
{
    public int Status { get; } = status;
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Worth retrying (<see cref="HttpFailure"/>): 408, 409, 429, 5xx, network errors and timeouts.</summary>
    public bool Transient => Status == 0 || HttpFailure.IsTransientStatus(Status, conflictIsTransient: true);
}
