namespace Moltworker.Channels.Telegram.Replies;

/// <summary>Where replies go: the chat, the forum topic, and the message answered (groups only).</summary>
public sealed record ReplyTarget(long ChatId, int? ThreadId = null, int? ReplyToMessageId = null);
