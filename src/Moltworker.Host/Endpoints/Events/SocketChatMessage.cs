namespace Moltworker.Host.Endpoints.Events;

/// <summary>What a client sends on <c>/api/ws</c>: <c>{"type":"chat","chatId":"…","text":"…","messageId":"…"}</c>.</summary>
public sealed record SocketChatMessage(string? Type, string? ChatId, string? UserId, string? Text, string? MessageId);
