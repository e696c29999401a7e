using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Moltworker.Host.Endpoints;

/// <summary>The per-chat limit of <c>/api/chat</c>: a fixed window per chat id
/// (<c>Moltworker:Api:RateLimit:PermitsPerChat</c> per <c>ChatWindow</c>). Checked once the body names the chat, which the
/// rate-limiting middleware cannot see.</summary>
public sealed class ChatRateLimiter(IOptions<ApiOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(chatId =>
    {
        var o = options.Value.RateLimit;
        return o.Enabled
            ? RateLimitPartition.GetFixedWindowLimiter(chatId, _ => ApiRateLimits.Window(o.PermitsPerChat, o.ChatWindow))
            : RateLimitPartition.GetNoLimiter(chatId);
    }, StringComparer.Ordinal);

    /// <summary>One permit for a message to <paramref name="chatId"/>; not acquired when its window is used up.</summary>
    public RateLimitLease Acquire(string chatId) => _limiter.AttemptAcquire(chatId);

    public void Dispose() => _limiter.Dispose();
}
