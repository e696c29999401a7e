using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Intake;

public class AccessEndToEndTests
{
    [Fact]
    public async Task Only_allowed_users_are_served_and_the_rate_limit_drops_floods()
    {
        await using var telegram = await TelegramBotApiServer.StartAsync();
        await using var host = await TelegramTestHost.StartAsync(telegram, new Dictionary<string, string?>
        {
            ["Moltworker:Telegram:AllowedUserIds:0"] = "71",
            ["Moltworker:Telegram:RateLimitPerUser"] = "2",
        });
        telegram.EnqueueText(72, 72, "/echo_text stranger");
        telegram.EnqueueText(71, 71, "/echo_text one");
        telegram.EnqueueText(71, 71, "/echo_text two");
        telegram.EnqueueText(71, 71, "/echo_text three");
        var last = telegram.EnqueueText(73, 71, "/echo_text other chat, same user");
        await telegram.WaitUntilAsync(s => s.ConfirmedOffset > last && s.Messages(71).Count == 2);
        Assert.Equal(["echo: one", "echo: two"], telegram.Messages(71).Select(m => m.Text));
        Assert.Empty(telegram.Messages(72));
        Assert.Empty(telegram.Messages(73));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("EVERYONE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_access_is_warned_about_at_start()
    {
        await using var telegram = await TelegramBotApiServer.StartAsync();
        await using var host = await TelegramTestHost.StartAsync(telegram);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("EVERYONE", StringComparison.Ordinal));
    }
}
