using Polly;
using Polly.Retry;

namespace Moltworker.Kernel.Http;

/// <summary>
/// The retry pipeline of the HTTP clients: exceptions of type <typeparamref name="TException"/> whose
/// <see cref="ITransientHttpFailure.Transient"/> is set are retried up to <c>maxRetries</c> times with exponential
/// backoff (no jitter) from <c>baseDelay</c>, capped at <c>maxDelay</c>; a positive Retry-After replaces the backoff.
/// With <c>longestWait</c>, a Retry-After beyond it is not waited for: the failure goes to the caller at once.
/// Delays run on the given <see cref="TimeProvider"/>.
/// </summary>
public static class HttpRetryPipeline
{
    public static ResiliencePipeline Build<TException>(int maxRetries, TimeSpan baseDelay, TimeSpan? maxDelay, TimeProvider time,
        Action<int, TimeSpan, TException> onRetry, TimeSpan? longestWait = null)
        where TException : Exception, ITransientHttpFailure
    {
        if (maxRetries <= 0) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<TException>(e => e.Transient && !(e.RetryAfter > longestWait)),
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = baseDelay < TimeSpan.Zero ? TimeSpan.Zero : baseDelay,
                MaxDelay = maxDelay,
                DelayGenerator = static args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is ITransientHttpFailure { RetryAfter: { } after } && after > TimeSpan.Zero ? after : null),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is TException failure) onRetry(args.AttemptNumber + 1, args.RetryDelay, failure);
                    return default;
                },
            })
            .Build();
    }
}
