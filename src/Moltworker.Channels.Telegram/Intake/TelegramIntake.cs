using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Approvals;
using Moltworker.Channels.Telegram.Commands;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Schedules;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.RateLimiting;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram.Intake;

/// <summary>
/// The one way updates enter (from polling or the webhook): read into Telegram.Bot's <see cref="Update"/> with
/// <see cref="JsonBotAPI.Options"/>, routed, checked against the allow lists
/// and the per-user rate limit, then stored durably in the inbox with the update id as external id and the
/// chat as order key. An update that cannot be read or routed is logged once with its id and the reason, counted in
/// <see cref="RejectedIntake"/> and acknowledged, never thrown: the channel goes on with the next update. What does
/// throw is what should be tried again: the database refusing to store (<see cref="Kernel.State.StorageException"/>),
/// Telegram unreachable while the bot's identity is first fetched, and cancellation.
/// </summary>
public sealed partial class TelegramIntake(
    InboxDispatcher inbox,
    BotIdentity identity,
    TelegramCommands commands,
    AccessPolicy access,
    UserRateLimiter rateLimiter,
    IOptions<TelegramOptions> options,
    RejectedIntake rejected,
    ApprovalCallbacks approvals,
    ScheduleCallbacks scheduleButtons,
    ILogger<TelegramIntake> logger)
{
    public const string Source = "telegram";

    public static string OrderKey(long chatId) => "telegram:" + chatId.ToString(CultureInfo.InvariantCulture);

    public async Task<IntakeResult> AcceptAsync(JsonElement raw, CancellationToken ct)
    {
        if (!UpdateJson.TryRead(raw, out var update, out var unreadable)) return Reject(IdOf(raw), unreadable!, IntakeResult.Malformed);
        if (update is null || update.Id <= 0) return Reject(IdOf(raw), "no update_id", IntakeResult.Malformed);
        if (UpdateShape.Problem(update) is { } problem) return Reject(update.Id, problem, IntakeResult.Rejected);
        // A press of a button is answered at once: an approval's (the approval store makes it durable, first answer wins)
        // or one under /schedule's list (the schedule store is the record).
        if (update.CallbackQuery is { } press)
            return ScheduleButtons.IsScheduleButton(press.Data) ? await scheduleButtons.HandleAsync(press, ct) : await approvals.HandleAsync(press, ct);

        var me = await identity.GetAsync(ct);
        RoutedMessage? routed;
        try { routed = UpdateRouter.Route(update, me, commands.Map); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A case UpdateShape does not know yet: refused all the same, so the chat is not stuck behind it.
            return Reject(update.Id, $"{ex.GetType().Name}: {ex.Message}", IntakeResult.Rejected);
        }
        if (routed is null)
        {
            LogIgnored(update.Id);
            return IntakeResult.Ignored;
        }
        if (routed.MigrateToChatId is null)
        {
            if (!access.Allows(routed.ChatId, routed.UserId))
            {
                LogDenied(update.Id, routed.UserId, routed.ChatId);
                return IntakeResult.Denied;
            }
            if (!rateLimiter.TryAcquire(new RateLimitedUser(Source, routed.UserId.ToString(CultureInfo.InvariantCulture)),
                    new UserRateLimit(options.Value.RateLimitPerUser, options.Value.RateLimitWindow)))
            {
                LogRateLimited(update.Id, routed.UserId);
                return IntakeResult.RateLimited;
            }
        }

        var added = await inbox.AcceptAsync(Source, update.Id.ToString(CultureInfo.InvariantCulture), OrderKey(routed.ChatId), raw.GetRawText(), ct);
        return added ? IntakeResult.Accepted : IntakeResult.Duplicate;
    }

    private IntakeResult Reject(long? updateId, string reason, IntakeResult result)
    {
        rejected.Record(Source);
        LogRejected(updateId?.ToString(CultureInfo.InvariantCulture) ?? "(none)", reason);
        return result;
    }

    private static long? IdOf(JsonElement raw) =>
        raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("update_id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var n) ? n : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram update {UpdateId} could not be read or routed; acknowledged and skipped: {Reason}")]
    private partial void LogRejected(string updateId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram update {UpdateId} is not for the bot")]
    private partial void LogIgnored(long updateId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram update {UpdateId} from user {UserId} in chat {ChatId} denied by the allow lists")]
    private partial void LogDenied(long updateId, long userId, long chatId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram update {UpdateId} from user {UserId} dropped by the per-user rate limit")]
    private partial void LogRateLimited(long updateId, long userId);
}
