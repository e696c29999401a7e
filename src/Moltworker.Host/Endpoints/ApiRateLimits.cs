using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Moltworker.Host.Endpoints;

/// <summary>
/// The per-client limit of <c>/api/*</c>, a policy of ASP.NET Core's rate limiter: a fixed window per client, the client
/// being its API key's name when it sent one and its remote address otherwise (behind a reverse proxy, the forwarded one
/// when <c>Moltworker:ReverseProxy:Enabled</c>). A refused request gets 429, <c>Retry-After</c> and a problem body.
/// The limiters keep their own clock (System.Threading.RateLimiting takes no TimeProvider).
/// </summary>
public static class ApiRateLimits
{
    public const string ClientPolicy = "api-client";

    /// <summary>The name of the claim that carries the API key's name, which partitions the limit when present.</summary>
    public const string KeyNameClaim = "moltworker:api-key";

    public static void AddApiRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => new ValueTask(Refuse(context.HttpContext.Response, context.Lease, "this client").ExecuteAsync(context.HttpContext));
            limiter.AddPolicy(ClientPolicy, http =>
            {
                var options = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimit;
                if (!options.Enabled) return RateLimitPartition.GetNoLimiter("off");
                return RateLimitPartition.GetFixedWindowLimiter(ClientOf(http), _ => Window(options.PermitsPerClient, options.ClientWindow));
            });
        });
        services.AddSingleton<ChatRateLimiter>();
    }

    /// <summary>The partition of <paramref name="http"/>: "key:name" for a request with an API key, else "address:ip".</summary>
    public static string ClientOf(HttpContext http) =>
        http.User.FindFirst(KeyNameClaim)?.Value is { } key ? $"key:{key}" : $"address:{http.Connection.RemoteIpAddress}";

    internal static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) =>
        new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };

    /// <summary>The 429 for a refused <paramref name="lease"/>: <c>Retry-After</c> (whole seconds, at least 1) and a problem body.</summary>
    public static IResult Refuse(HttpResponse response, RateLimitLease lease, string whose)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblems.TooManyRequests($"The rate limit of {whose} is used up (Moltworker:Api:RateLimit); try again in {seconds} s.");
    }
}
