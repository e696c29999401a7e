namespace Moltworker.Channels.Telegram.Client;

/// <summary>What a failed Bot API call means for the caller.</summary>
public enum TelegramErrorKind
{
    Other,
    BadRequest,
    /// <summary>400 "can't parse entities": the HTML was rejected; send as plain text.</summary>
    CantParseEntities,
    /// <summary>400 "message is not modified": the edit had nothing to change (a success for us).</summary>
    MessageNotModified,
    /// <summary>400 "message is too long".</summary>
    MessageTooLong,
    /// <summary>400 with <c>parameters.migrate_to_chat_id</c>: the group became a supergroup.</summary>
    ChatMigrated,
    Unauthorized,
    Forbidden,
    NotFound,
    /// <summary>409: another getUpdates or an active webhook.</summary>
    Conflict,
    /// <summary>429 with <c>parameters.retry_after</c>.</summary>
    RateLimited,
    /// <summary>5xx.</summary>
    ServerError,
}
