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

        public Task<ChatReply> RunCommandAsync(string name, IReadOnlyDictionary<string, object?> arguments, ChatAddress address, CancellationToken cancellationToken) =>
            HandleAsync(new IncomingMessage(address, "/" + name), cancellationToken);

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

    private sealed class CountingChatService : IChatService
    {
        public int Calls;

        public Task<ChatReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new ChatReply("ok: " + message.Text));
        }

        public Task<ChatReply> RunCommandAsync(string name, IReadOnlyDictionary<string, object?> arguments, ChatAddress address, CancellationToken cancellationToken) =>
            HandleAsync(new IncomingMessage(address, "/" + name), cancellationToken);

        public Task ResetAsync(ChatAddress address, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task An_undeliverable_reply_is_dropped_without_running_the_turn_again()
    {
        await using var telegram = await TelegramBotApiServer.StartAsync();
        var chat = new CountingChatService();
        await using var host = await TelegramTestHost.StartAsync(telegram, configure: s => s.AddSingleton<IChatService>(chat));
        telegram.InjectFault("sendMessage", new InjectedFault(403, "Forbidden: bot was blocked by the user"));
        telegram.EnqueueText(902, 52, "first");
        telegram.EnqueueText(902, 52, "second");
        await telegram.WaitUntilAsync(s => s.Messages(902).Count == 1);
        Assert.Equal("ok: second", telegram.Messages(902)[0].Text);
        Assert.Equal(2, chat.Calls);
        Assert.Contains(host.Logs.Lines, l => l.Contains("cannot be delivered (403", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("Inbox handler for telegram failed", StringComparison.Ordinal));
    }
}
