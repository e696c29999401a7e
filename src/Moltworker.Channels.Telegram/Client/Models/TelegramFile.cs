namespace Moltworker.Channels.Telegram.Client.Models;

/// <summary>Download with <c>{ApiRoot}/file/bot{token}/{FilePath}</c>.</summary>
public sealed record TelegramFile
{
    public string FileId { get; init; } = "";
    public string FileUniqueId { get; init; } = "";
    public long? FileSize { get; init; }
    public string? FilePath { get; init; }
}
