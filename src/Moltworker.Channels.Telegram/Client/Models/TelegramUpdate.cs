namespace Moltworker.Channels.Telegram.Client.Models;

/// <summary>An incoming update. Kinds the bot does not handle are left null and ignored.</summary>
public sealed record TelegramUpdate
{
    public long UpdateId { get; init; }
    public TelegramMessage? Message { get; init; }
    public TelegramMessage? EditedMessage { get; init; }
}
