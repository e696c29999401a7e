using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace Moltworker.Channels.Telegram.Schedules;

/// <summary>
/// <c>/schedule</c>'s list as a Telegram message with its buttons (<see cref="ScheduleButtons"/>): sent in answer to
/// the command, and edited after a button was pressed to show the chat's schedules as they are now. Plain text (the
/// list has cron expressions and commands in it, which HTML would not improve), well under the message limit for the
/// at most <see cref="SchedulesOptions.MaxPerChat"/> schedules of a chat.
/// </summary>
public sealed class ScheduleListMessage(ITelegramBotClient bot, IServiceProvider services, TelegramResilience resilience)
{
    /// <summary>The schedules, when this host has them (a host may leave schedules out; the list is then never asked for).</summary>
    public ScheduleService? Schedules => services.GetService<ScheduleService>();

    /// <summary>Whether the kernel text of a command is <c>/schedule</c>'s list (no argument, or <c>list</c>).</summary>
    public static bool IsListCommand(string kernelText)
    {
        var parts = kernelText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length is 1 or 2 && parts[0].Equals("/schedule", StringComparison.OrdinalIgnoreCase) &&
               (parts.Length == 1 || parts[1].Equals("list", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Sends the chat's list with its keyboard to <paramref name="target"/>.</summary>
    public async Task SendAsync(ReplyTarget target, ChatAddress chat, CancellationToken ct)
    {
        var list = await Schedules!.ListAsync(chat, ct);
        var replyTo = target.ReplyToMessageId is { } id ? new global::Telegram.Bot.Types.ReplyParameters { MessageId = id, AllowSendingWithoutReply = true } : null;
        await resilience.Send.ExecuteAsync(async token => await bot.SendMessage(target.ChatId, ScheduleListing.List(list),
            replyParameters: replyTo, messageThreadId: target.ThreadId, replyMarkup: ScheduleButtons.Keyboard(list), cancellationToken: token), ct);
    }

    /// <summary>Edits the list message <paramref name="messageId"/> to the chat's schedules now, with <paramref name="note"/>
    /// (what the press did) above them. An unchanged message counts as done.</summary>
    public async Task EditAsync(long chatId, int messageId, ChatAddress chat, string note, CancellationToken ct)
    {
        var list = await Schedules!.ListAsync(chat, ct);
        try
        {
            await resilience.Send.ExecuteAsync(async token => await bot.EditMessageText(chatId, messageId, $"{note}\n\n{ScheduleListing.List(list)}",
                replyMarkup: ScheduleButtons.Keyboard(list), cancellationToken: token), ct);
        }
        catch (ApiRequestException ex) when (TelegramErrors.IsNotModified(ex)) { }
    }

    /// <summary>The kernel address of a Telegram chat (schedules belong to chats; the user does not matter).</summary>
    public static ChatAddress Chat(long chatId) => new(Intake.TelegramIntake.Source, chatId.ToString(CultureInfo.InvariantCulture));
}
