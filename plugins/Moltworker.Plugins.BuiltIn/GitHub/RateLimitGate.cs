using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Http;

namespace Moltworker.Plugins.BuiltIn.GitHub;

/// <summary>
/// Remembers GitHub's rate-limit headers: once a response says no requests are left
/// (<c>X-RateLimit-Remaining: 0</c>), calls fail fast with the wait until <c>X-RateLimit-Reset</c> instead of
/// spending a request that GitHub would refuse.
/// </summary>
internal sealed class RateLimitGate(TimeProvider time)
{
    private long _blockedUntilTicks;

    public void ThrowIfBlocked()
    {
        var until = new DateTimeOffset(Interlocked.Read(ref _blockedUntilTicks), TimeSpan.Zero);
        var wait = until - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
            throw new ToolException($"GitHub rate limit reached; try again in {Upstream.Seconds(wait)} s", transient: true) { RetryAfter = wait };
    }

    public void Observe(UpstreamResponse response)
    {
        if (!RetryAfter.Exhausted(response.Headers)) return;
        if (RetryAfter.From(response.Headers, time) is { } wait && wait > TimeSpan.Zero)
            Interlocked.Exchange(ref _blockedUntilTicks, (time.GetUtcNow() + wait).UtcTicks);
    }
}
