using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Options;

namespace Moltworker.Channels.Telegram.Intake;

/// <summary>A sliding-window limit of messages per user (RateLimitPerUser per RateLimitWindow), on the injected clock.</summary>
public sealed class UserRateLimiter(IOptions<TelegramOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Queue<DateTimeOffset>> _hits = [];

    /// <summary>Counts the message and says whether it is within the limit.</summary>
    public bool TryAcquire(long userId)
    {
        var limit = options.Value.RateLimitPerUser;
        if (limit <= 0) return true;
        var now = time.GetUtcNow();
        var from = now - options.Value.RateLimitWindow;
        lock (_gate)
        {
            if (!_hits.TryGetValue(userId, out var hits)) _hits[userId] = hits = new Queue<DateTimeOffset>();
            while (hits.Count > 0 && hits.Peek() <= from) hits.Dequeue();
            if (hits.Count >= limit) return false;
            hits.Enqueue(now);
            if (_hits.Count > 10_000) Prune(from);
            return true;
        }
    }

    private void Prune(DateTimeOffset from)
    {
        foreach (var (user, hits) in _hits.ToList())
            if (hits.Count == 0 || hits.Last() <= from) _hits.Remove(user);
    }
}
