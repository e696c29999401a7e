using Telegram.Bot.Exceptions;

namespace Moltworker.Channels.Telegram.Client;

/// <summary>
/// What a failed Bot API call means for the channel, read from Telegram.Bot's exceptions: an
/// <see cref="ApiRequestException"/> (Telegram answered <c>ok:false</c>: <see cref="ApiRequestException.ErrorCode"/>,
/// <c>Parameters.RetryAfter</c>, <c>Parameters.MigrateToChatId</c>) or a plain <see cref="RequestException"/> (no usable
/// answer: network failure, timeout, a body that is not a Bot API envelope).
/// </summary>
public static class TelegramErrors
{
    /// <summary>True when trying again later may succeed: 429, 5xx, and failures without an answer.</summary>
    public static bool IsTransient(Exception error) => error switch
    {
        ApiRequestException api => api.ErrorCode == 429 || api.ErrorCode >= 500,
        RequestException request => request.HttpStatusCode is null || (int)request.HttpStatusCode >= 500,
        HttpRequestException or TimeoutException => true,
        _ => false,
    };

    /// <summary><c>parameters.retry_after</c> of a 429.</summary>
    public static TimeSpan? RetryAfter(Exception error) =>
        error is ApiRequestException { Parameters.RetryAfter: { } seconds } ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary><c>parameters.migrate_to_chat_id</c>: the group became this supergroup.</summary>
    public static long? MigrateToChatId(Exception error) =>
        error is ApiRequestException { Parameters.MigrateToChatId: { } to } ? to : null;

    /// <summary>400 "can't parse entities": the HTML was rejected; the text goes again as plain text.</summary>
    public static bool IsCantParseEntities(Exception error) => IsBadRequest(error, "can't parse entities");

    /// <summary>400 "message is not modified": the edit had nothing to change (a success for the channel).</summary>
    public static bool IsNotModified(Exception error) => IsBadRequest(error, "message is not modified");

    /// <summary>401 or 404 from getMe: the token is wrong or revoked.</summary>
    public static bool IsBadToken(Exception error) => error is ApiRequestException { ErrorCode: 401 or 404 };

    /// <summary>The error code (or HTTP status) and the description, for a log line.</summary>
    public static (int Code, string Description) Describe(RequestException error) =>
        (error is ApiRequestException api ? api.ErrorCode : (int?)error.HttpStatusCode ?? 0, error.Message);

    private static bool IsBadRequest(Exception error, string part) =>
        error is ApiRequestException { ErrorCode: 400 } api && api.Message.Contains(part, StringComparison.OrdinalIgnoreCase);
}
