namespace Moltworker.Testing.Telegram;

/// <summary>A message the bot sent, as the in-test Bot API server keeps it (latest edit applied).</summary>
public sealed record BotMessage(long ChatId, long MessageId, string Text, string RawText, string? ParseMode, long? ThreadId, long? ReplyToMessageId)
{
    public int Edits { get; init; }
}
