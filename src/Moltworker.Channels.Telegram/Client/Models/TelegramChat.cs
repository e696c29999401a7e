namespace Moltworker.Channels.Telegram.Client.Models;

/// <summary><see cref="Type"/>: private, group, supergroup or channel.</summary>
public sealed record TelegramChat
{
    public long Id { get; init; }
    public string Type { get; init; } = "private";
    public string? Title { get; init; }
    public string? Username { get; init; }
    public bool? IsForum { get; init; }

    public bool IsPrivate => Type == "private";
}
