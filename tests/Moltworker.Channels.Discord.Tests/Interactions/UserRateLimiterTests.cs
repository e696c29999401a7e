using Moltworker.Channels.Discord.Interactions;
using Moltworker.Channels.Discord.Options;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Discord.Tests.Interactions;

public sealed class UserRateLimiterTests
{
    [Fact]
    public void The_window_slides_with_the_clock()
    {
        var time = new FakeTimeProvider();
        var limiter = new UserRateLimiter(Microsoft.Extensions.Options.Options.Create(new DiscordOptions { UserRateLimit = 2, UserRateWindowSeconds = 60 }), time);
        Assert.True(limiter.TryAcquire("u", out _));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire("u", out _));
        Assert.False(limiter.TryAcquire("u", out var wait));
        Assert.Equal(TimeSpan.FromSeconds(50), wait);
        Assert.True(limiter.TryAcquire("other", out _));
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.True(limiter.TryAcquire("u", out _));
    }

    [Fact]
    public void Zero_means_unlimited()
    {
        var limiter = new UserRateLimiter(Microsoft.Extensions.Options.Options.Create(new DiscordOptions { UserRateLimit = 0 }), new FakeTimeProvider());
        for (var i = 0; i < 100; i++) Assert.True(limiter.TryAcquire("u", out _));
    }
}
