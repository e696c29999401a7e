namespace Moltworker.Channels.Discord.Rest;

/// <summary>A request stayed rate limited after the configured number of waits.</summary>
public sealed class DiscordRateLimitedException(string route, TimeSpan retryAfter, bool global)
    : Exception($"Discord kept rate limiting {route} (retry after {retryAfter.TotalSeconds:0.###} s, global: {global})")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
    public bool Global { get; } = global;
}
