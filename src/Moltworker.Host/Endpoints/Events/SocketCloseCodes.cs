namespace Moltworker.Host.Endpoints.Events;

/// <summary>Close codes <c>/api/ws</c> uses besides the standard ones (1000 normal, 1001 going away).</summary>
public static class SocketCloseCodes
{
    /// <summary>The client fell <c>Moltworker:Events:SubscriberBuffer</c> events behind; reconnect with the last event id
    /// (<c>?lastEventId=</c>) to get what was missed.</summary>
    public const int TooSlow = 4000;

    /// <summary>A client message was larger than the chat limit allows.</summary>
    public const int MessageTooLarge = 1009;
}
