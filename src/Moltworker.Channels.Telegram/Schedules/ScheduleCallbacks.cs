using System.Globalization;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Kernel.Schedules;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram.Schedules;

/// <summary>
/// A press of a button under <c>/schedule</c>'s list (<c>callback_query</c>), answered at once like an approval button:
/// the store is the durable record. Everything is checked here, nothing is taken from the button but the schedule id
/// and the action: the person who pressed must pass the allow lists for the chat the message is in (anyone who may use
/// <c>/schedule</c> there may use its buttons), and the schedule must belong to that chat. Data that is not a
/// schedule button's, a schedule of another chat or one removed meanwhile change nothing. Every press gets
/// <c>answerCallbackQuery</c>; a press that changed something edits the list message to the chat's schedules as they are now.
/// </summary>
public sealed partial class ScheduleCallbacks(ITelegramBotClient bot, ScheduleListMessage list, AccessPolicy access, ILogger<ScheduleCallbacks> logger)
{
    public async Task<IntakeResult> HandleAsync(CallbackQuery query, CancellationToken ct)
    {
        var schedules = list.Schedules;
        if (!ScheduleButtons.TryParse(query.Data, out var id, out var action) || schedules is null || query.Message is not { } message)
        {
            await bot.AnswerCallbackQuery(query.Id, "This button does nothing here.", cancellationToken: ct);
            return IntakeResult.Ignored;
        }
        var chatId = message.Chat.Id;
        if (!access.Allows(chatId, query.From.Id))
        {
            LogDenied(id, query.From.Id, chatId);
            await bot.AnswerCallbackQuery(query.Id, "You may not change this chat's schedules.", showAlert: true, cancellationToken: ct);
            return IntakeResult.Denied;
        }
        var chat = ScheduleListMessage.Chat(chatId);
        string answer;
        try
        {
            answer = action switch
            {
                ScheduleAction.Pause => await schedules.PauseAsync(id, chat, ct) is null ? "" : $"Paused {id}.",
                ScheduleAction.Resume => await schedules.ResumeAsync(id, chat, ct) is { } resumed ? $"Resumed {id}: {ScheduleListing.Line(resumed)}" : "",
                _ => await schedules.RemoveAsync(id, chat, ct) ? $"Removed {id}." : "",
            };
        }
        catch (ScheduleRefusedException ex)
        {
            await bot.AnswerCallbackQuery(query.Id, Short(ex.Message), showAlert: true, cancellationToken: ct);
            return IntakeResult.Rejected;
        }
        LogPress(id, action, query.From.Id, chatId, answer.Length > 0);
        if (answer.Length == 0)
        {
            await bot.AnswerCallbackQuery(query.Id, $"This chat has no schedule {id}.", cancellationToken: ct);
            return IntakeResult.Ignored;
        }
        await bot.AnswerCallbackQuery(query.Id, Short(answer), cancellationToken: ct);
        await list.EditAsync(chatId, message.Id, chat, $"{answer} (by {Name(query.From)})", ct);
        return IntakeResult.Accepted;
    }

    /// <summary>answerCallbackQuery's text is at most 200 characters.</summary>
    private static string Short(string text) => text.Length <= 200 ? text : text[..199] + "…";

    private static string Name(User user) => user.Username is { Length: > 0 } name ? "@" + name : user.FirstName is { Length: > 0 } first ? first : user.Id.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule button for {ScheduleId} pressed by Telegram user {UserId} in chat {ChatId}, who is not on the allow lists; refused")]
    private partial void LogDenied(string scheduleId, long userId, long chatId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId}: {Action} pressed by Telegram user {UserId} in chat {ChatId}; done: {Done}")]
    private partial void LogPress(string scheduleId, ScheduleAction action, long userId, long chatId, bool done);
}
