using Moltworker.Kernel.RateLimiting;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.RateLimiting;

/// <summary>The one per-user limiter all channels share, on the test clock.</summary>
public sealed class UserRateLimiterTests
{
    private static readonly RateLimitedUser Alice = new("telegram", "1");
    private static readonly UserRateLimit ThreeAMinute = new(3, TimeSpan.FromMinutes(1));

    [Fact]
    public void The_window_slides_with_the_clock_and_a_refusal_is_not_counted()
    {
        var time = new FakeTimeProvider();
        var limiter = new UserRateLimiter(time);
        Assert.True(limiter.TryAcquire(Alice, ThreeAMinute));
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(limiter.TryAcquire(Alice, ThreeAMinute));
        Assert.True(limiter.TryAcquire(Alice, ThreeAMinute));
        Assert.False(limiter.TryAcquire(Alice, ThreeAMinute, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(40), wait);

        time.Advance(TimeSpan.FromSeconds(39));
        Assert.False(limiter.TryAcquire(Alice, ThreeAMinute, out wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryAcquire(Alice, ThreeAMinute)); // the first one left the window; the refused ones never counted
        Assert.False(limiter.TryAcquire(Alice, ThreeAMinute, out wait));
        Assert.Equal(TimeSpan.FromSeconds(20), wait); // the next to leave is one of 0:20's
    }

    [Fact]
    public void Each_user_on_each_channel_has_a_window_of_its_own()
    {
        var time = new FakeTimeProvider();
        var limiter = new UserRateLimiter(time);
        var one = new UserRateLimit(1, TimeSpan.FromMinutes(1));
        Assert.True(limiter.TryAcquire(Alice, one));
        Assert.False(limiter.TryAcquire(Alice, one));
        Assert.True(limiter.TryAcquire(Alice with { UserId = "2" }, one));
        Assert.True(limiter.TryAcquire(Alice with { Channel = "discord" }, one));
    }

    [Fact]
    public void Each_call_brings_its_channels_limit()
    {
        var time = new FakeTimeProvider();
        var limiter = new UserRateLimiter(time);
        var discord = new RateLimitedUser("discord", "u");
        var twoAnHour = new UserRateLimit(2, TimeSpan.FromHours(1));
        Assert.True(limiter.TryAcquire(discord, twoAnHour));
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire(discord, twoAnHour));
        Assert.False(limiter.TryAcquire(discord, twoAnHour, out var wait));
        Assert.Equal(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(10), wait);
        for (var i = 0; i < 3; i++) Assert.True(limiter.TryAcquire(Alice, ThreeAMinute));
        Assert.False(limiter.TryAcquire(Alice, ThreeAMinute));
    }

    [Theory]
    [InlineData(0, 60)]
    [InlineData(-1, 60)]
    [InlineData(3, 0)]
    public void A_limit_or_window_of_zero_means_unlimited(int permits, int windowSeconds)
    {
        var limiter = new UserRateLimiter(new FakeTimeProvider());
        var limit = new UserRateLimit(permits, TimeSpan.FromSeconds(windowSeconds));
        for (var i = 0; i < 100; i++)
        {
            Assert.True(limiter.TryAcquire(Alice, limit, out var wait));
            Assert.Equal(TimeSpan.Zero, wait);
        }
    }

    [Fact]
    public void Forgetting_idle_users_keeps_the_busy_ones_limited()
    {
        var time = new FakeTimeProvider();
        var limiter = new UserRateLimiter(time);
        var one = new UserRateLimit(1, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 10_050; i++) Assert.True(limiter.TryAcquire(new RateLimitedUser("telegram", $"idle{i}"), one));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limiter.TryAcquire(Alice, one));
        for (var i = 0; i < 10_050; i++) Assert.True(limiter.TryAcquire(new RateLimitedUser("discord", $"new{i}"), one));
        Assert.False(limiter.TryAcquire(Alice, one));
        Assert.True(limiter.TryAcquire(new RateLimitedUser("telegram", "idle0"), one));
    }
}
