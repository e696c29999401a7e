using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Moltworker.Kernel.Http;

/// <summary>
/// The retry strategy of the outgoing HTTP clients (model, embeddings, Qdrant), as options for
/// Microsoft.Extensions.Http.Resilience: which answers are worth another attempt (408, 429, 5xx, 409 where
/// <see cref="HttpRetrySettings.ConflictIsTransient"/>, network errors, attempt timeouts; never the caller's own
/// cancellation), and how long to wait (<see cref="RetryAfter"/>, else the exponential backoff).
/// </summary>
public static partial class TransientHttpRetry
{
    /// <summary>Set on a request (<c>request.Options.Set(TransientHttpRetry.NoRetry, true)</c>) that must not be
    /// retried, e.g. a health probe that should answer at once.</summary>
    public static readonly HttpRequestOptionsKey<bool> NoRetry = new("Moltworker.Http.NoRetry");

    /// <summary>408, 429, 5xx; 409 only with <paramref name="conflictIsTransient"/>.</summary>
    public static bool IsTransientStatus(int status, bool conflictIsTransient = false) =>
        status is 408 or 429 or >= 500 || (conflictIsTransient && status == 409);

    public static HttpRetryStrategyOptions Options(HttpRetrySettings settings, TimeProvider time, ILogger logger) => new()
    {
        MaxRetryAttempts = settings.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = false,
        Delay = settings.BaseDelay < TimeSpan.Zero ? TimeSpan.Zero : settings.BaseDelay,
        MaxDelay = settings.MaxDelay,
        ShouldRetryAfterHeader = false,
        ShouldHandle = args => ValueTask.FromResult(!IsOptedOut(args.Context) && ShouldRetry(args.Outcome, settings, time, args.Context.CancellationToken)),
        DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Result is { } response && RetryAfter.Of(response, time) is { } after && after > TimeSpan.Zero ? after : (TimeSpan?)null),
        OnRetry = args =>
        {
            LogRetrying(logger, Describe(args.Outcome), args.AttemptNumber + 1, args.RetryDelay);
            return default;
        },
    };

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpRetrySettings settings, TimeProvider time, CancellationToken callerToken) => outcome switch
    {
        { Result: { } response } => IsTransientStatus((int)response.StatusCode, settings.ConflictIsTransient)
            && !(RetryAfter.Of(response, time) > settings.LongestWait),
        { Exception: OperationCanceledException } when callerToken.IsCancellationRequested => false,
        { Exception: HttpRequestException or TimeoutRejectedException or IOException } => true,
        _ => false,
    };

    private static bool IsOptedOut(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(NoRetry, out var once) && once;

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? $"{(int)response.StatusCode} {(HttpStatusCode)(int)response.StatusCode}"
        : outcome.Exception is TimeoutRejectedException ? "timed out"
        : outcome.Exception?.Message ?? "failed";

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP request failed ({Error}); retry {Attempt} in {Delay}")]
    private static partial void LogRetrying(ILogger logger, string error, int attempt, TimeSpan delay);
}
