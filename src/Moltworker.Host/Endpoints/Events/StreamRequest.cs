using System.Globalization;
using Microsoft.AspNetCore.Http;
using Moltworker.Kernel.Events;

namespace Moltworker.Host.Endpoints.Events;

/// <summary>What a stream (<c>/api/events</c>, <c>/api/ws</c>) asks for: the filters <c>task</c>, <c>chat</c> and
/// <c>channel</c>, and the id to resume after (<c>Last-Event-ID</c> header, or <c>lastEventId</c> in the query for clients
/// that cannot set headers, such as a browser's WebSocket).</summary>
public sealed record StreamRequest(EventQuery Query, long? AfterId)
{
    /// <summary>The request, or why it is refused (400).</summary>
    public static (StreamRequest? Request, string? Problem) From(HttpRequest http)
    {
        var query = new EventQuery
        {
            TaskId = Text(http.Query["task"]),
            ChatId = Text(http.Query["chat"]),
            Channel = Text(http.Query["channel"]),
        };
        var resume = Text(http.Headers["Last-Event-ID"]) ?? Text(http.Query["lastEventId"]);
        if (resume is null) return (new StreamRequest(query, null), null);
        if (!long.TryParse(resume, NumberStyles.None, CultureInfo.InvariantCulture, out var after))
            return (null, $"Last-Event-ID must be an event id (a whole number ≥ 0), not '{resume}'");
        return (new StreamRequest(query, after), null);
    }

    private static string? Text(Microsoft.Extensions.Primitives.StringValues value) => string.IsNullOrWhiteSpace(value) ? null : value.ToString();
}
