namespace Moltworker.Kernel.Http;

/// <summary>
/// How one named HttpClient retries (<see cref="TransientHttpRetry"/>): up to <see cref="MaxRetries"/> retries with
/// exponential backoff from <see cref="BaseDelay"/> (no jitter), capped at <see cref="MaxDelay"/>; a server's
/// <c>Retry-After</c> replaces the backoff. Each attempt is limited to <see cref="AttemptTimeout"/> of real time.
/// </summary>
/// <param name="MaxRetries">0 means no retry.</param>
/// <param name="BaseDelay">The first backoff; doubles each retry.</param>
/// <param name="MaxDelay">The longest backoff; null: uncapped.</param>
/// <param name="AttemptTimeout">Limit of one attempt up to the response headers; a timeout is transient.</param>
public sealed record HttpRetrySettings(int MaxRetries, TimeSpan BaseDelay, TimeSpan? MaxDelay, TimeSpan AttemptTimeout)
{
    /// <summary>409 is worth another attempt (OpenAI-style endpoints answer it for a lock that clears; to Qdrant it
    /// means "already exists").</summary>
    public bool ConflictIsTransient { get; init; }

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the answer goes back to the caller at once
    /// (the model client then tries its fallback model). Null: any <c>Retry-After</c> is waited for.</summary>
    public TimeSpan? LongestWait { get; init; }

    /// <summary>
    /// How long one call may take with all its attempts and waits (each attempt at <see cref="AttemptTimeout"/>, each
    /// wait at <see cref="MaxDelay"/> or <see cref="LongestWait"/>), at most a day: the network timeout for a client SDK
    /// (the OpenAI SDK's) that wraps the whole HttpClient call, so that it never cuts the retries short.
    /// </summary>
    public TimeSpan WholeCallBudget
    {
        get
        {
            var retries = Math.Max(0, MaxRetries);
            var longestWait = LongestWait ?? MaxDelay ?? TimeSpan.FromMinutes(5);
            var budget = AttemptTimeout * (retries + 1) + longestWait * retries;
            return budget > TimeSpan.Zero && budget < TimeSpan.FromDays(1) ? budget : TimeSpan.FromDays(1);
        }
    }
}
