namespace Moltworker.Channels.Telegram.Client;

/// <summary>A Bot API call answered <c>ok:false</c>. The message never contains the bot token.</summary>
public sealed class TelegramApiException(string method, int errorCode, string description, TimeSpan? retryAfter = null, long? migrateToChatId = null)
    : Exception($"Telegram {method} failed: {errorCode} {description}")
{
    public string Method { get; } = method;
    public int ErrorCode { get; } = errorCode;
    public string Description { get; } = description;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public long? MigrateToChatId { get; } = migrateToChatId;
    public TelegramErrorKind Kind { get; } = Classify(errorCode, description, migrateToChatId);

    /// <summary>True when trying again later may succeed (429, 5xx).</summary>
    public bool IsTransient => Kind is TelegramErrorKind.RateLimited or TelegramErrorKind.ServerError;

    private static TelegramErrorKind Classify(int code, string description, long? migrateTo)
    {
        if (migrateTo is not null) return TelegramErrorKind.ChatMigrated;
        if (code == 429) return TelegramErrorKind.RateLimited;
        if (code >= 500) return TelegramErrorKind.ServerError;
        return code switch
        {
            400 when Contains(description, "can't parse entities") => TelegramErrorKind.CantParseEntities,
            400 when Contains(description, "message is not modified") => TelegramErrorKind.MessageNotModified,
            400 when Contains(description, "message is too long") => TelegramErrorKind.MessageTooLong,
            400 => TelegramErrorKind.BadRequest,
            401 => TelegramErrorKind.Unauthorized,
            403 => TelegramErrorKind.Forbidden,
            404 => TelegramErrorKind.NotFound,
            409 => TelegramErrorKind.Conflict,
            _ => TelegramErrorKind.Other,
        };
    }

    private static bool Contains(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);
}
