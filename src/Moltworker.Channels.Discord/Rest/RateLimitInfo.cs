using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Moltworker.Channels.Discord.Rest;

/// <summary>The rate-limit headers (and, for a 429, the body) of one response.</summary>
internal sealed record RateLimitInfo(
    string? Bucket, int? Limit, int? Remaining, TimeSpan? ResetAfter, string? Scope, bool Global, TimeSpan? RetryAfter)
{
    public static async Task<RateLimitInfo> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var h = response.Headers;
        var bucket = Header(h, "X-RateLimit-Bucket");
        var limit = Int(Header(h, "X-RateLimit-Limit"));
        var remaining = Int(Header(h, "X-RateLimit-Remaining"));
        var resetAfter = Seconds(Header(h, "X-RateLimit-Reset-After"));
        var scope = Header(h, "X-RateLimit-Scope");
        var global = string.Equals(Header(h, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
        TimeSpan? retryAfter = null;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            retryAfter = Seconds(Header(h, "Retry-After"));
            try
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("retry_after", out var ra) && ra.TryGetDouble(out var seconds))
                    retryAfter = TimeSpan.FromSeconds(seconds);
                if (doc.RootElement.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True)
                    global = true;
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's page): the headers are all we have.
            }
            if (string.Equals(scope, "global", StringComparison.OrdinalIgnoreCase)) global = true;
        }
        return new RateLimitInfo(bucket, limit, remaining, resetAfter, scope, global, retryAfter);
    }

    private static string? Header(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? Int(string? s) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static TimeSpan? Seconds(string? s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? TimeSpan.FromSeconds(v) : null;
}
