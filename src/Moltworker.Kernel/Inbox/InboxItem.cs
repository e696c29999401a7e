namespace Moltworker.Kernel.Inbox;

/// <summary>
/// One accepted incoming update, durable before it is acknowledged to the platform.
/// <see cref="OrderKey"/> groups items that must be handled one at a time in order (a chat);
/// <see cref="ExternalId"/> deduplicates (a Telegram update id, a Discord interaction id).
/// </summary>
public sealed record InboxItem(long Id, string Source, string ExternalId, string OrderKey, string Payload, DateTimeOffset ReceivedAt, int Attempts);
