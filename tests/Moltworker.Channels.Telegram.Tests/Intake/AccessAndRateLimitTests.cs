using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Tests.Fakes;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Channels.Telegram.Tests.Intake;

/// <summary>The allow lists. The per-user rate limit is the kernel's shared limiter (Moltworker.Kernel.Tests/RateLimiting);
/// AccessEndToEndTests drives it through this channel's options.</summary>
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
}
