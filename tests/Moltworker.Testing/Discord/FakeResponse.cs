namespace Moltworker.Testing.Discord;

/// <summary>A scripted REST answer (status, JSON body, extra headers such as rate-limit headers).</summary>
public sealed record FakeResponse(int Status, string? Body = null)
{
    public Dictionary<string, string> Headers { get; init; } = [];

    /// <summary>A success that reports a bucket state: <c>X-RateLimit-Bucket/Limit/Remaining/Reset-After</c>.</summary>
    public static FakeResponse Ok(string bucket, int limit, int remaining, double resetAfterSeconds, string? body = null) =>
        new(200, body ?? "{}")
        {
            Headers = RateHeaders(bucket, limit, remaining, resetAfterSeconds),
        };

    /// <summary>A 429 with Discord's body (<c>retry_after</c> in seconds, <c>global</c>) and <c>X-RateLimit-Scope</c>.</summary>
    public static FakeResponse TooManyRequests(double retryAfterSeconds, bool global, string scope, string? bucket = null)
    {
        var headers = bucket is null ? new Dictionary<string, string>() : RateHeaders(bucket, 5, 0, retryAfterSeconds);
        headers["Retry-After"] = Math.Ceiling(retryAfterSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-RateLimit-Scope"] = scope;
        if (global) headers["X-RateLimit-Global"] = "true";
        var body = $$"""{"message":"You are being rate limited.","retry_after":{{retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"global":{{(global ? "true" : "false")}}}""";
        return new FakeResponse(429, body) { Headers = headers };
    }

    public static Dictionary<string, string> RateHeaders(string bucket, int limit, int remaining, double resetAfterSeconds) => new()
    {
        ["X-RateLimit-Bucket"] = bucket,
        ["X-RateLimit-Limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["X-RateLimit-Remaining"] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["X-RateLimit-Reset-After"] = resetAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
