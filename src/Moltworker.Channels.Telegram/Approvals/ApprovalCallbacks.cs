using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Kernel.Approvals;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram.Approvals;

/// <summary>
/// A press of a request's button (<c>callback_query</c>), answered at once rather than through the inbox: the answer
/// itself is durable in the approval store, and the first one wins. The person who pressed is the decider; anyone but
/// the requester or a configured admin gets a short refusal and nothing changes; a press on an answered request (a
/// replayed callback, a second person) changes nothing either. Every press gets <c>answerCallbackQuery</c>; an answer
/// taken edits the request's message to show the outcome (which removes the keyboard) and resumes the task.
/// </summary>
public sealed partial class ApprovalCallbacks(ITelegramBotClient bot, IServiceProvider services, ILogger<ApprovalCallbacks> logger)
{
    public async Task<IntakeResult> HandleAsync(CallbackQuery query, CancellationToken ct)
    {
        // Resolved when a press arrives: the approvals are part of the kernel's filters, which a host may leave out.
        var resolver = services.GetService<ApprovalResolver>();
        if (!ApprovalButtons.TryParse(query.Data, out var id, out var choice) || resolver is null)
        {
            await bot.AnswerCallbackQuery(query.Id, "This button does nothing here.", cancellationToken: ct);
            return IntakeResult.Ignored;
        }
        var decider = new ApprovalDecider(TelegramIntake.Source, query.From.Id.ToString(CultureInfo.InvariantCulture));
        var decision = await resolver.DecideAsync(id, choice != ApprovalChoice.Deny, choice == ApprovalChoice.Always, decider, ct);
        var request = decision.Request;
        LogPress(id, query.From.Id, decision.Answer);
        switch (decision.Answer)
        {
            case ApprovalAnswer.NotFound:
                await bot.AnswerCallbackQuery(query.Id, "This request is not known.", cancellationToken: ct);
                return IntakeResult.Ignored;
            case ApprovalAnswer.NotAllowed:
                await bot.AnswerCallbackQuery(query.Id, "Only the person who asked, or an admin, can answer this.", showAlert: true, cancellationToken: ct);
                return IntakeResult.Denied;
            case ApprovalAnswer.AlreadyAnswered:
                await bot.AnswerCallbackQuery(query.Id, $"Already answered: {Outcome(request!)}.", cancellationToken: ct);
                return IntakeResult.Duplicate;
        }
        await bot.AnswerCallbackQuery(query.Id, choice == ApprovalChoice.Deny ? "Denied." : "Approved.", cancellationToken: ct);
        if (query.Message is { } message)
            await bot.EditMessageText(message.Chat.Id, message.Id, $"{request!.Tool}: {Outcome(request)}" +
                (choice == ApprovalChoice.Always ? ", and always in this chat (/approvals reset revokes it)." : "."), cancellationToken: ct);
        await services.GetRequiredService<ApprovalResumer>().StartAsync(request!.TaskId, ct);
        return IntakeResult.Accepted;
    }

    private static string Outcome(ApprovalRequest request) => request.Status switch
    {
        ApprovalStatus.Approved => $"approved by {request.DecidedBy}",
        ApprovalStatus.Denied => $"denied by {request.DecidedBy}",
        ApprovalStatus.Expired => "expired",
        _ => "waiting",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval {ApprovalId}: button pressed by Telegram user {UserId}: {Answer}")]
    private partial void LogPress(string approvalId, long userId, ApprovalAnswer answer);
}
