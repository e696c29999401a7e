namespace Moltworker.Kernel.Http;

/// <summary>An exception of an HTTP client that <see cref="HttpRetryPipeline"/> can retry: whether the failure is worth
/// another attempt (<see cref="HttpFailure"/> decides) and how long the server asked us to wait.</summary>
public interface ITransientHttpFailure
{
    bool Transient { get; }

    TimeSpan? RetryAfter { get; }
}
