using Microsoft.Extensions.Caching.Distributed;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>
/// When a row of an <see cref="IToolCacheStore"/> expires, from the <see cref="DistributedCacheEntryOptions"/> it was
/// written with: an absolute time (given, or relative to now), a sliding window (each read moves the expiry to now plus
/// the window, never past the absolute time), both, or neither (kept until removed). The stores of both providers use
/// it, so they agree.
/// </summary>
public readonly record struct CacheEntryLifetime(DateTimeOffset? ExpiresAt, TimeSpan? Sliding, DateTimeOffset? AbsoluteAt)
{
    /// <summary>The lifetime of an entry written at <paramref name="now"/>. An absolute time that is not in the future is
    /// refused, as <c>MemoryDistributedCache</c> refuses it.</summary>
    public static CacheEntryLifetime Of(DistributedCacheEntryOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var absolute = options.AbsoluteExpiration ?? (options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : null);
        if (absolute <= now)
            throw new ArgumentOutOfRangeException(nameof(options), absolute, "The absolute expiration value must be in the future.");
        if (options.SlidingExpiration is { } sliding && sliding <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), sliding, "The sliding expiration value must be positive.");
        return new(Slide(now, options.SlidingExpiration, absolute), options.SlidingExpiration, absolute);
    }

    /// <summary>The expiry after a read at <paramref name="now"/>: moved for a sliding entry, unchanged otherwise.</summary>
    public static DateTimeOffset? Slide(DateTimeOffset now, TimeSpan? sliding, DateTimeOffset? absolute) =>
        sliding is { } window ? (absolute is { } at && at < now + window ? at : now + window) : absolute;
}
