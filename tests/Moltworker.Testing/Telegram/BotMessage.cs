namespace Moltworker.Testing.Telegram;

/// <summary>A message the bot sent, as the in-test Bot API server keeps it (latest edit applied).</summary>
public sealed record BotMessage(long ChatId, long MessageId, string Text, string RawText, string? ParseMode, long? ThreadId, long? ReplyToMessageId)
{
    public int Edits { get; init; }

    /// <summary>The reply_markup as sent (JSON: an inline keyboard), or null; an edit without one removes it, as Telegram does.</summary>
    public string? ReplyMarkup { get; init; }
}

/// <summary>An answerCallbackQuery the bot made.</summary>
public sealed record CallbackAnswer(string CallbackQueryId, string? Text);
