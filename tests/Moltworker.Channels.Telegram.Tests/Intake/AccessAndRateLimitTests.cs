using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.Time;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Channels.Telegram.Tests.Intake;

public class AccessAndRateLimitTests
{
    [Fact]
    public void Empty_lists_serve_everyone_and_lists_restrict()
    {
        Assert.True(new AccessPolicy(MsOptions.Create(new TelegramOptions())).Allows(1, 2));
        var policy = new AccessPolicy(MsOptions.Create(new TelegramOptions { AllowedUserIds = [7], AllowedChatIds = [-100] }));
        Assert.False(policy.IsOpen);
        Assert.True(policy.Allows(7, 7));
        Assert.True(policy.Allows(-100, 8));
        Assert.False(policy.Allows(8, 8));
    }

    [Fact]
    public void The_rate_limit_is_per_user_and_slides_with_the_clock()
    {
        var time = new FakeTimeProvider();
        var limiter = new UserRateLimiter(MsOptions.Create(new TelegramOptions { RateLimitPerUser = 3, RateLimitWindow = TimeSpan.FromMinutes(1) }), time);
        Assert.True(limiter.TryAcquire(1));
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(limiter.TryAcquire(1));
        Assert.True(limiter.TryAcquire(1));
        Assert.False(limiter.TryAcquire(1));
        Assert.True(limiter.TryAcquire(2));
        time.Advance(TimeSpan.FromSeconds(41));
        Assert.True(limiter.TryAcquire(1));
        Assert.False(limiter.TryAcquire(1));
    }
}
