using System.Globalization;
using System.Text.Json;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Host.Endpoints.HttpChat;

/// <summary>One /api/chat message as the durable inbox keeps it (the item's payload). <see cref="MessageId"/> is the
/// client's, or one made for the request when it sent none, so a turn cut short by a restart joins its task afterwards.</summary>
public sealed record HttpChatItem(string ChatId, string? UserId, string Text, string MessageId)
{
    /// <summary>The inbox source of the HTTP channel.</summary>
    public const string Source = "http";

    public static HttpChatItem From(ChatApi.ChatRequest request) =>
        new(request.ChatId ?? "default", request.UserId, request.Text!, request.MessageId ?? $"http-{Guid.NewGuid():N}");

    /// <summary>The inbox item's external id: unique per chat and message id (a messageId is unique only within its chat),
    /// so the same message sent twice is one item.</summary>
    public string ExternalId => $"{ChatId.Length.ToString(CultureInfo.InvariantCulture)}:{ChatId}:{MessageId}";

    /// <summary>Messages of one chat are handled one at a time, in the order they were accepted.</summary>
    public string OrderKey => $"{Source}:{ChatId}";

    public string ToPayload() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    public static HttpChatItem? FromPayload(string payload) => JsonSerializer.Deserialize<HttpChatItem>(payload, JsonSerializerOptions.Web);

    public IncomingMessage ToIncoming() => new(new ChatAddress(Source, ChatId, UserId), Text) { MessageId = MessageId };
}
