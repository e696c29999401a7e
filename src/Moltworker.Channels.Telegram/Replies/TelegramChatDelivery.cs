using System.Globalization;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Channels.Telegram.Replies;

/// <summary>Sends a scheduled run's answer to its Telegram chat (following a group's migration to a supergroup), formatted
/// and split like any reply. Forum topics are not remembered, so it goes to the chat's main thread.</summary>
public sealed class TelegramChatDelivery(ReplySender sender, ChatMigrations migrations) : IChatDelivery
{
    public string Channel => TelegramIntake.Source;

    public async Task DeliverAsync(ChatAddress address, string markdown, CancellationToken cancellationToken)
    {
        var chatId = await migrations.ResolveAsync(long.Parse(address.ChatId, CultureInfo.InvariantCulture), cancellationToken);
        await sender.SendMarkdownAsync(new ReplyTarget(chatId), markdown, cancellationToken);
    }
}
