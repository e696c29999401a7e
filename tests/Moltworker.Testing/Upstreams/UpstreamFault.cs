namespace Moltworker.Testing.Upstreams;

public enum UpstreamFaultKind { None, NotFound, TooManyRequests, ServerError, Slow, MalformedJson, Oversized, RateLimitExhausted, Rendezvous, Unauthorized }

/// <summary>How an in-test upstream misbehaves for requests under a path prefix.</summary>
public sealed record UpstreamFault(UpstreamFaultKind Kind)
{
    /// <summary>Seconds sent in <c>Retry-After</c> (429, 500) or until <c>X-RateLimit-Reset</c>.</summary>
    public int RetryAfterSeconds { get; init; } = 30;

    /// <summary>For <see cref="UpstreamFaultKind.Slow"/>: how long to wait before answering normally.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits until the client gives up.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>For <see cref="UpstreamFaultKind.Oversized"/>: bytes sent.</summary>
    public long Bytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>For <see cref="UpstreamFaultKind.Oversized"/>: send a Content-Length header (else chunked).</summary>
    public bool WithContentLength { get; init; }

    public static UpstreamFault Unauthorized => new(UpstreamFaultKind.Unauthorized);
    public static UpstreamFault NotFound => new(UpstreamFaultKind.NotFound);
    public static UpstreamFault ServerError => new(UpstreamFaultKind.ServerError);
    public static UpstreamFault MalformedJson => new(UpstreamFaultKind.MalformedJson);
    public static UpstreamFault TooManyRequests(int retryAfterSeconds) => new(UpstreamFaultKind.TooManyRequests) { RetryAfterSeconds = retryAfterSeconds };
    public static UpstreamFault RateLimitExhausted(int resetInSeconds) => new(UpstreamFaultKind.RateLimitExhausted) { RetryAfterSeconds = resetInSeconds };
    public static UpstreamFault Slow(TimeSpan delay) => new(UpstreamFaultKind.Slow) { Delay = delay };
    /// <summary>For <see cref="UpstreamFaultKind.Rendezvous"/>: the meeting every held request waits for.</summary>
    public UpstreamRendezvous? Meeting { get; init; }

    /// <summary>Holds each request until <paramref name="meeting"/> has seen all its parties arrive (requests in parallel
    /// all go through; requests one after another never do, until the client gives up).</summary>
    public static UpstreamFault Rendezvous(UpstreamRendezvous meeting) => new(UpstreamFaultKind.Rendezvous) { Meeting = meeting };
    public static UpstreamFault Hang => new(UpstreamFaultKind.Slow) { Delay = Timeout.InfiniteTimeSpan };
    public static UpstreamFault Oversized(long bytes, bool withContentLength = false) => new(UpstreamFaultKind.Oversized) { Bytes = bytes, WithContentLength = withContentLength };
}
