using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.Telegram;
using Moltworker.Testing.Time;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Channels.Telegram.Tests.Replies;

public class TypingIndicatorTests
{
    [Fact]
    public async Task Typing_is_sent_at_once_and_every_interval_until_stopped()
    {
        await using var server = await TelegramBotApiServer.StartAsync();
        var time = new FakeTimeProvider();
        var options = MsOptions.Create(new TelegramOptions { BotToken = server.Token, ApiRoot = server.ApiRoot });
        var typing = new TypingIndicator(TestClients.Client(server), time, options, NullLogger<TypingIndicator>.Instance);

        var running = typing.Start(12, 3, default);
        await server.WaitUntilAsync(s => s.ChatActions(12).Count == 1);
        Assert.Equal(TimeSpan.FromSeconds(4), await time.WaitForTimerAsync());
        time.Advance(TimeSpan.FromSeconds(4));
        await server.WaitUntilAsync(s => s.ChatActions(12).Count == 2);
        await time.WaitForTimerAsync();
        await running.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(2, server.ChatActions(12).Count);
        Assert.All(server.ChatActions(12), a => { Assert.Equal("typing", a.Action); Assert.Equal(3, a.ThreadId); });
    }
}
