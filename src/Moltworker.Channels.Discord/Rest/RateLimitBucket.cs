namespace Moltworker.Channels.Discord.Rest;

/// <summary>What Discord last told us about one bucket (per bucket hash and major parameter).</summary>
internal sealed class RateLimitBucket
{
    /// <summary>Requests of a bucket go one at a time, so the headers of one response govern the next request.</summary>
    public SemaphoreSlim Queue { get; } = new(1, 1);

    public int? Limit { get; set; }

    /// <summary>Requests left before <see cref="ResetAt"/>; null until a response said.</summary>
    public int? Remaining { get; set; }

    public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;

    public TimeSpan WaitTime(DateTimeOffset now) =>
        Remaining is <= 0 && ResetAt > now ? ResetAt - now : TimeSpan.Zero;
}
