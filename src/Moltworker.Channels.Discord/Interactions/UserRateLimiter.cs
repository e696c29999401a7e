using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Options;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>A sliding window per user: at most <c>UserRateLimit</c> commands per <c>UserRateWindowSeconds</c>.</summary>
public sealed class UserRateLimiter(IOptions<DiscordOptions> options, TimeProvider time)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _starts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>True when the user may start a command now (and counts it); otherwise how long to wait.</summary>
    public bool TryAcquire(string userId, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var limit = options.Value.UserRateLimit;
        if (limit <= 0) return true;
        var window = TimeSpan.FromSeconds(Math.Max(1, options.Value.UserRateWindowSeconds));
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_starts.Count > 10_000) Prune(now - window);
            if (!_starts.TryGetValue(userId, out var q)) _starts[userId] = q = new Queue<DateTimeOffset>();
            while (q.Count > 0 && q.Peek() <= now - window) q.Dequeue();
            if (q.Count >= limit)
            {
                retryAfter = q.Peek() + window - now;
                return false;
            }
            q.Enqueue(now);
            return true;
        }
    }

    private void Prune(DateTimeOffset cutoff)
    {
        foreach (var (user, q) in _starts.ToList())
            if (q.Count == 0 || q.Last() <= cutoff) _starts.Remove(user);
    }
}
