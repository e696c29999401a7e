namespace Moltworker.Channels.Telegram.Client.Models;

public sealed record TelegramMessage
{
    public long MessageId { get; init; }
    public long? MessageThreadId { get; init; }
    public TelegramUser? From { get; init; }
    public required TelegramChat Chat { get; init; }
    public long Date { get; init; }
    public string? Text { get; init; }
    public string? Caption { get; init; }
    public IReadOnlyList<TelegramMessageEntity>? Entities { get; init; }
    public TelegramMessage? ReplyToMessage { get; init; }
    public bool? IsTopicMessage { get; init; }
    public long? MigrateToChatId { get; init; }
    public long? MigrateFromChatId { get; init; }
}
