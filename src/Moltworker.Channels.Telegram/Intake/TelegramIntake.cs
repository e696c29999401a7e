using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Client.Models;
using Moltworker.Channels.Telegram.Commands;
using Moltworker.Kernel.Inbox;

namespace Moltworker.Channels.Telegram.Intake;

/// <summary>
/// The one way updates enter (from polling or the webhook): parsed, routed, checked against the allow lists
/// and the per-user rate limit, then stored durably in the inbox with the update id as external id and the
/// chat as order key. Malformed or unknown updates are logged and acknowledged, never thrown.
/// </summary>
public sealed partial class TelegramIntake(
    InboxDispatcher inbox,
    BotIdentity identity,
    TelegramCommands commands,
    AccessPolicy access,
    UserRateLimiter rateLimiter,
    ILogger<TelegramIntake> logger)
{
    public const string Source = "telegram";

    public static string OrderKey(long chatId) => "telegram:" + chatId.ToString(CultureInfo.InvariantCulture);

    public async Task<IntakeResult> AcceptAsync(JsonElement raw, CancellationToken ct)
    {
        TelegramUpdate? update;
        try { update = raw.Deserialize<TelegramUpdate>(TelegramJson.Options); }
        catch (JsonException ex)
        {
            LogMalformed(ex.Message);
            return IntakeResult.Malformed;
        }
        if (update is null || update.UpdateId <= 0)
        {
            LogMalformed("no update_id");
            return IntakeResult.Malformed;
        }

        var me = await identity.GetAsync(ct);
        var routed = UpdateRouter.Route(update, me, commands.Map);
        if (routed is null)
        {
            LogIgnored(update.UpdateId);
            return IntakeResult.Ignored;
        }
        if (routed.MigrateToChatId is null)
        {
            if (!access.Allows(routed.ChatId, routed.UserId))
            {
                LogDenied(update.UpdateId, routed.UserId, routed.ChatId);
                return IntakeResult.Denied;
            }
            if (!rateLimiter.TryAcquire(routed.UserId))
            {
                LogRateLimited(update.UpdateId, routed.UserId);
                return IntakeResult.RateLimited;
            }
        }

        var added = await inbox.AcceptAsync(Source, update.UpdateId.ToString(CultureInfo.InvariantCulture), OrderKey(routed.ChatId), raw.GetRawText(), ct);
        return added ? IntakeResult.Accepted : IntakeResult.Duplicate;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram update could not be read and was acknowledged: {Reason}")]
    private partial void LogMalformed(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram update {UpdateId} is not for the bot")]
    private partial void LogIgnored(long updateId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram update {UpdateId} from user {UserId} in chat {ChatId} denied by the allow lists")]
    private partial void LogDenied(long updateId, long userId, long chatId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram update {UpdateId} from user {UserId} dropped by the per-user rate limit")]
    private partial void LogRateLimited(long updateId, long userId);
}
