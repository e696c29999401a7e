using System.Globalization;
using System.Net.Http.Headers;

namespace Moltworker.Kernel.Http;

/// <summary>
/// The one place that decides whether a failed HTTP call is worth retrying and how long the server asked us to wait.
/// Transient: 408, 429, 5xx (and 409 where the caller says a conflict is a passing state), timeouts and network errors.
/// <see cref="Status"/> is 0 for timeouts and network errors. Used by the model, embeddings and Qdrant clients.
/// </summary>
public readonly record struct HttpFailure(HttpFailureKind Kind, int Status, bool Transient, TimeSpan? RetryAfter)
{
    /// <summary>408, 429, 5xx; 409 only with <paramref name="conflictIsTransient"/> (OpenAI-style endpoints answer
    /// 409 for a lock that clears; to Qdrant it means "already exists").</summary>
    public static bool IsTransientStatus(int status, bool conflictIsTransient = false) =>
        status is 408 or 429 or >= 500 || (conflictIsTransient && status == 409);

    /// <summary>An error answer: its status and <c>Retry-After</c> header value (seconds or an HTTP date).</summary>
    public static HttpFailure FromStatus(int status, string? retryAfter, TimeProvider time, bool conflictIsTransient = false) =>
        new(HttpFailureKind.Status, status, IsTransientStatus(status, conflictIsTransient), ParseRetryAfter(retryAfter, time));

    /// <summary>An error answer of <see cref="HttpClient"/>.</summary>
    public static HttpFailure FromResponse(HttpResponseMessage response, TimeProvider time, bool conflictIsTransient = false)
    {
        var status = (int)response.StatusCode;
        return new(HttpFailureKind.Status, status, IsTransientStatus(status, conflictIsTransient), RetryAfterOf(response.Headers.RetryAfter, time));
    }

    /// <summary>A call that threw: a timeout (a cancellation the caller did not ask for, or <see cref="TimeoutException"/>)
    /// or a network error (<see cref="HttpRequestException"/>, <see cref="IOException"/>), both transient. Null for the
    /// caller's own cancellation and for anything else, which is not an HTTP failure.</summary>
    public static HttpFailure? FromException(Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException when callerToken.IsCancellationRequested => null,
        OperationCanceledException or TimeoutException => new HttpFailure(HttpFailureKind.Timeout, 0, true, null),
        HttpRequestException or IOException => new HttpFailure(HttpFailureKind.Unreachable, 0, true, null),
        _ => null,
    };

    /// <summary><c>Retry-After</c> as delta-seconds or an HTTP date (a date in the past is zero); null when absent or unreadable.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? Until(date, time)
            : null;
    }

    /// <summary>The parsed <c>Retry-After</c> header of an <see cref="HttpResponseMessage"/>.</summary>
    public static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header, TimeProvider time) =>
        header?.Delta ?? (header?.Date is { } date ? Until(date, time) : null);

    private static TimeSpan Until(DateTimeOffset date, TimeProvider time)
    {
        var wait = date - time.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
