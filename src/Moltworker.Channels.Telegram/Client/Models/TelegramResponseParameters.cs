namespace Moltworker.Channels.Telegram.Client.Models;

public sealed record TelegramResponseParameters
{
    public int? RetryAfter { get; init; }
    public long? MigrateToChatId { get; init; }
}
