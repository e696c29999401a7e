using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Host.Endpoints.HttpChat;

/// <summary>
/// Delivery to an HTTP chat when no request is waiting (a scheduled run's answer). HTTP cannot start a message to its
/// client, so the message becomes an <see cref="OutgoingChatMessage"/> event (<c>chat_message</c>): the event recorder stores it with
/// the other events and streams it, so a client with <c>/api/events?channel=http&amp;chat=&lt;id&gt;</c> (SSE or WebSocket)
/// or the console gets it live, and <c>GET /api/chats/{chatId}/messages</c> reads it later (see docs/decisions/0059-http-delivery.md).
/// </summary>
public sealed class HttpChatDelivery(IEventBus events, TimeProvider time) : IChatDelivery
{
    public string Channel => HttpChatItem.Source;

    public Task DeliverAsync(ChatAddress address, string markdown, CancellationToken cancellationToken)
    {
        events.Publish(new OutgoingChatMessage($"msg-{Guid.NewGuid():N}", address, markdown) { At = time.GetUtcNow() });
        return Task.CompletedTask;
    }
}
