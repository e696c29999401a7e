namespace Moltworker.Kernel.RateLimiting;

/// <summary>
/// The one per-user rate limit every channel uses: a sliding window over the times of the user's last accepted
/// messages, on the injected clock. Each call brings the channel's own <see cref="UserRateLimit"/> (from its options),
/// so one instance serves all channels. System.Threading.RateLimiting is not used because its window limiters replenish
/// on real time (<c>Stopwatch</c>) and take no <see cref="TimeProvider"/> (dotnet/runtime#106447), and its sliding
/// window counts in segments rather than exactly (docs/channels.md#per-user-rate-limits).
/// </summary>
public sealed class UserRateLimiter(TimeProvider time)
{
    /// <summary>Above this many tracked users, the ones with nothing left in their window are forgotten.</summary>
    private const int PruneAbove = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<RateLimitedUser, Window> _users = [];

    /// <summary>Counts the message and says whether it is within the limit; when it is not, nothing is counted and
    /// <paramref name="retryAfter"/> is how long until the oldest counted message leaves the window.</summary>
    public bool TryAcquire(RateLimitedUser user, UserRateLimit limit, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (limit.IsUnlimited) return true;
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_users.Count > PruneAbove) Prune(now);
            if (!_users.TryGetValue(user, out var window)) _users[user] = window = new Window();
            window.Length = limit.Window;
            window.Slide(now);
            if (window.Starts.Count >= limit.PermitLimit)
            {
                retryAfter = window.Starts.Peek() + limit.Window - now;
                return false;
            }
            window.Starts.Enqueue(now);
            return true;
        }
    }

    /// <summary>Counts the message and says whether it is within the limit.</summary>
    public bool TryAcquire(RateLimitedUser user, UserRateLimit limit) => TryAcquire(user, limit, out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (user, window) in _users.ToList())
        {
            window.Slide(now);
            if (window.Starts.Count == 0) _users.Remove(user);
        }
    }

    /// <summary>One user's accepted messages still inside the window (oldest first) and the window's length.</summary>
    private sealed class Window
    {
        public Queue<DateTimeOffset> Starts { get; } = new();
        public TimeSpan Length { get; set; }

        public void Slide(DateTimeOffset now)
        {
            while (Starts.Count > 0 && Starts.Peek() <= now - Length) Starts.Dequeue();
        }
    }
}
