namespace Moltworker.Kernel.RateLimiting;

/// <summary>At most <paramref name="PermitLimit"/> messages or commands per user in any <paramref name="Window"/>
/// (a sliding window); a limit or window of zero or less means no limit.</summary>
public readonly record struct UserRateLimit(int PermitLimit, TimeSpan Window)
{
    /// <summary>True when nothing is limited.</summary>
    public bool IsUnlimited => PermitLimit <= 0 || Window <= TimeSpan.Zero;
}
