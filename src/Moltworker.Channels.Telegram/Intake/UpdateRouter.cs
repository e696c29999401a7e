using Moltworker.Channels.Telegram.Commands;
using Moltworker.Kernel.Commands;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Moltworker.Channels.Telegram.Intake;

/// <summary>
/// Decides which updates the bot answers (whether text is a command is <see cref="CommandLine"/>'s decision). Private chats: every text message. Groups: "/cmd@thisbot",
/// a bare "/cmd" the bot knows, replies to the bot's messages and messages mentioning "@thisbot"; the rest
/// is ignored. Messages from bots and edits are ignored. Never throws: an update it cannot make sense of (see
/// <see cref="UpdateShape"/>) is not for the bot.
/// </summary>
public static class UpdateRouter
{
    public static RoutedMessage? Route(Update update, User me, CommandMap commands)
    {
        var message = update.Message;
        if (message is null || UpdateShape.Problem(update) is not null) return null;
        if (message.MigrateToChatId is { } to)
            return new RoutedMessage(message.Chat.Id, 0, message.Id, null, true, "", false) { MigrateToChatId = to };
        var text = message.Text ?? message.Caption;
        if (string.IsNullOrWhiteSpace(text) || message.From is null || message.From.IsBot) return null;

        var isGroup = message.Chat.Type != ChatType.Private;
        var thread = message.IsTopicMessage ? message.MessageThreadId : null;
        var username = me.Username ?? "";

        if (CommandLine.Parse(text) is { } command)
        {
            if (command.Addressee is not null && !command.Addressee.Equals(username, StringComparison.OrdinalIgnoreCase)) return null;
            if (isGroup && command.Addressee is null && !commands.IsKnown(command.Name) && !IsReplyToBot(message, me)) return null;
            var kernelText = "/" + commands.ToKernelName(command.Name) + (command.Rest.Length > 0 ? " " + command.Rest : "");
            return new RoutedMessage(message.Chat.Id, message.From.Id, message.Id, thread, isGroup, kernelText, true);
        }

        if (!isGroup) return new RoutedMessage(message.Chat.Id, message.From.Id, message.Id, thread, false, text.Trim(), false);

        var mentioned = false;
        foreach (var entity in message.Entities ?? [])
        {
            var isMention = entity.Type == MessageEntityType.Mention && UpdateShape.Inside(entity.Offset, entity.Length, text.Length)
                && text.AsSpan(entity.Offset, entity.Length).Equals("@" + username, StringComparison.OrdinalIgnoreCase);
            if (isMention || entity.Type == MessageEntityType.TextMention && entity.User?.Id == me.Id) mentioned = true;
        }
        if (!mentioned && !IsReplyToBot(message, me)) return null;
        var cleaned = username.Length > 0 ? text.Replace("@" + username, "", StringComparison.OrdinalIgnoreCase).Trim() : text.Trim();
        if (cleaned.Length == 0) cleaned = text.Trim();
        return new RoutedMessage(message.Chat.Id, message.From.Id, message.Id, thread, true, cleaned, false);
    }

    private static bool IsReplyToBot(Message message, User me) =>
        // In forum topics every message "replies" to the topic's first message; that is not a reply to the bot.
        message.ReplyToMessage?.From?.Id == me.Id && message.ReplyToMessage.Id != message.MessageThreadId;
}
