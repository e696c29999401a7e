using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.EndToEnd;

public class FailureEndToEndTests
{
    private sealed class ThrowingChatService : IChatService
    {
        public int Calls;

        public Task<ChatReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            throw new InvalidOperationException("kernel exploded");
        }

        public Task ResetAsync(ChatAddress address, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_failing_turn_tells_the_user_once_and_the_chat_goes_on()
    {
        await using var telegram = await TelegramBotApiServer.StartAsync();
        var chat = new ThrowingChatService();
        await using var host = await TelegramTestHost.StartAsync(telegram, configure: s => s.AddSingleton<IChatService>(chat));
        telegram.EnqueueText(901, 51, "boom");
        telegram.EnqueueText(901, 51, "boom again");
        await telegram.WaitUntilAsync(s => s.Messages(901).Count == 2);
        Assert.All(telegram.Messages(901), m => Assert.StartsWith("Sorry, something went wrong", m.Text));
        Assert.Equal(2, chat.Calls);
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("kernel exploded", StringComparison.Ordinal));
    }
}
