namespace Moltworker.Channels.Telegram.Client.Models;

/// <summary>Where a message goes: a forum topic and the message it answers.</summary>
public sealed record SendMessageOptions
{
    public long? MessageThreadId { get; init; }
    public long? ReplyToMessageId { get; init; }

    /// <summary>"HTML" or null for plain text.</summary>
    public string? ParseMode { get; init; }

    public static readonly SendMessageOptions Html = new() { ParseMode = "HTML" };
}
