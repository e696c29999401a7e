namespace Moltworker.Channels.Telegram.Client.Models;

/// <summary>Offsets and lengths count UTF-16 code units, as in .NET strings.</summary>
public sealed record TelegramMessageEntity
{
    public string Type { get; init; } = "";
    public int Offset { get; init; }
    public int Length { get; init; }
    public string? Url { get; init; }
    public TelegramUser? User { get; init; }
}
