using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Moltworker.Channels.Discord.Rest;

/// <summary>
/// Per-bucket rate limiting in the way discord.js does it: a route is mapped to the bucket hash Discord names
/// in <c>X-RateLimit-Bucket</c>; a bucket (hash + major parameter) sends one request at a time and, when its
/// <c>Remaining</c> is 0, waits <c>Reset-After</c> before the next. A 429 is waited out (<c>retry_after</c>), for
/// every request when it is global. Waiting uses the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class DiscordRateLimiter(TimeProvider time, ILogger<DiscordRateLimiter> logger)
{
    private readonly ConcurrentDictionary<string, string> _routeToHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RateLimitBucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _globalGate = new();
    private DateTimeOffset _globalResetAt = DateTimeOffset.MinValue;

    public int MaxRetries { get; set; } = 5;

    /// <summary>Sends through the route's bucket, waiting as the limits require. The caller owns the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        DiscordRoute route, Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        var bucket = BucketFor(route);
        await bucket.Queue.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                await WaitGlobalAsync(cancellationToken);
                var wait = bucket.WaitTime(time.GetUtcNow());
                if (wait > TimeSpan.Zero)
                {
                    LogBucketWait(route.RouteKey, wait.TotalMilliseconds);
                    await Task.Delay(wait, time, cancellationToken);
                }
                if (bucket.Remaining is { } r) bucket.Remaining = r - 1;

                var response = await send(cancellationToken);
                var info = await RateLimitInfo.ReadAsync(response, cancellationToken);
                var now = time.GetUtcNow();
                bucket = Update(route, bucket, info, now);
                if (response.StatusCode != HttpStatusCode.TooManyRequests) return response;

                var retryAfter = info.RetryAfter ?? info.ResetAfter ?? TimeSpan.FromSeconds(1);
                LogRateLimited(route.RouteKey, retryAfter.TotalMilliseconds, info.Global, info.Scope ?? "");
                if (info.Global)
                {
                    lock (_globalGate) { if (now + retryAfter > _globalResetAt) _globalResetAt = now + retryAfter; }
                }
                else
                {
                    bucket.Remaining = 0;
                    bucket.ResetAt = now + retryAfter;
                }
                response.Dispose();
                if (attempt >= MaxRetries) throw new DiscordRateLimitedException(route.RouteKey, retryAfter, info.Global);
            }
        }
        finally
        {
            bucket.Queue.Release();
        }
    }

    private RateLimitBucket BucketFor(DiscordRoute route)
    {
        if (_buckets.Count > 1000) Sweep();
        var hash = _routeToHash.TryGetValue(route.RouteKey, out var h) ? h : route.RouteKey;
        return _buckets.GetOrAdd($"{hash}:{route.MajorParameter}", _ => new RateLimitBucket());
    }

    /// <summary>Applies the headers; when Discord names a new bucket for the route, the state moves there.
    /// The queue that is held stays the one released by the caller, so the same object is returned.</summary>
    private RateLimitBucket Update(DiscordRoute route, RateLimitBucket bucket, RateLimitInfo info, DateTimeOffset now)
    {
        var target = bucket;
        if (info.Bucket is { Length: > 0 } hash &&
            (!_routeToHash.TryGetValue(route.RouteKey, out var known) || known != hash))
        {
            _routeToHash[route.RouteKey] = hash;
            target = _buckets.GetOrAdd($"{hash}:{route.MajorParameter}", _ => bucket);
        }
        foreach (var b in target == bucket ? [bucket] : new[] { bucket, target })
        {
            if (info.Limit is { } limit) b.Limit = limit;
            if (info.Remaining is { } remaining) b.Remaining = remaining;
            if (info.ResetAfter is { } resetAfter) b.ResetAt = now + resetAfter;
        }
        return bucket;
    }

    /// <summary>Interaction tokens make a bucket each; forget idle ones whose window has passed.</summary>
    private void Sweep()
    {
        var cutoff = time.GetUtcNow() - TimeSpan.FromMinutes(1);
        foreach (var (key, b) in _buckets)
            if (b.ResetAt < cutoff && b.Queue.CurrentCount == 1) _buckets.TryRemove(key, out _);
    }

    private async Task WaitGlobalAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            DateTimeOffset until;
            lock (_globalGate) until = _globalResetAt;
            var wait = until - time.GetUtcNow();
            if (wait <= TimeSpan.Zero) return;
            LogGlobalWait(wait.TotalMilliseconds);
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord bucket exhausted for {Route}; waiting {WaitMs} ms")]
    private partial void LogBucketWait(string route, double waitMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord 429 on {Route}: retry after {WaitMs} ms (global: {Global}, scope: {Scope})")]
    private partial void LogRateLimited(string route, double waitMs, bool global, string scope);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord global rate limit; waiting {WaitMs} ms")]
    private partial void LogGlobalWait(double waitMs);
}
