using System.Globalization;

namespace Moltworker.Kernel.Http;

/// <summary>
/// How long an HTTP answer asks the client to wait: OpenAI's <c>retry-after-ms</c>, else the standard
/// <c>Retry-After</c> as delta-seconds or an HTTP date, read against the injected clock (a date in the past is zero).
/// The library's own Retry-After reader uses the system clock, which a test clock cannot steer.
/// </summary>
public static class RetryAfter
{
    /// <summary>The wait the response asks for; null when it asks for none or the header is unreadable.</summary>
    public static TimeSpan? Of(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms) &&
            double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
            return TimeSpan.FromMilliseconds(millis);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
