namespace Moltworker.Channels.Telegram.Client.Models;

public sealed record TelegramUser
{
    public long Id { get; init; }
    public bool IsBot { get; init; }
    public string FirstName { get; init; } = "";
    public string? Username { get; init; }
}
