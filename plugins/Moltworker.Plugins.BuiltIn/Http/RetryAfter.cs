using System.Globalization;
using System.Net.Http.Headers;

namespace Moltworker.Plugins.BuiltIn.Http;

/// <summary>Reads how long an upstream asked us to wait: <c>Retry-After</c> (seconds or a date), else
/// <c>X-RateLimit-Reset</c> (Unix seconds, GitHub).</summary>
internal static class RetryAfter
{
    public static TimeSpan? From(HttpResponseHeaders headers, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (headers.RetryAfter is { } retry)
        {
            if (retry.Delta is { } delta) return Clamp(delta);
            if (retry.Date is { } date) return Clamp(date - now);
        }
        if (headers.TryGetValues("X-RateLimit-Reset", out var values) &&
            long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
            return Clamp(DateTimeOffset.FromUnixTimeSeconds(unix) - now);
        return null;
    }

    /// <summary>True when a GitHub-style header says no requests are left.</summary>
    public static bool Exhausted(HttpResponseHeaders headers) =>
        headers.TryGetValues("X-RateLimit-Remaining", out var values) && values.FirstOrDefault()?.Trim() == "0";

    private static TimeSpan Clamp(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;
}
