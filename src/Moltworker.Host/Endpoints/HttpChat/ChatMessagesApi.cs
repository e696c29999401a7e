using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.Events;

namespace Moltworker.Host.Endpoints.HttpChat;

/// <summary>
/// <c>GET /api/chats/{chatId}/messages?after=&lt;id&gt;&amp;limit=&lt;n&gt;</c> (scope read): the messages an HTTP chat got
/// while no request was waiting (<c>chat_message</c> events, such as scheduled runs' answers), oldest first, read from
/// the stored events. <c>id</c> is the event id, the same as on the event stream; <c>next</c> is the id to pass as
/// <c>after</c> to read on (it moves past other events of the chat too, so paging never reads them twice). Messages are
/// kept for <c>Moltworker:Tasks:RetentionDays</c> (pruned by age with the events of finished tasks), and not at all with <c>Moltworker:Events:Store=false</c>.
/// </summary>
public static class ChatMessagesApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    public sealed record ChatMessageView(long Id, string MessageId, DateTimeOffset At, string Text);

    public sealed record ChatMessageList(IReadOnlyList<ChatMessageView> Messages, long Next);

    public static IEndpointRouteBuilder MapChatMessagesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api").RequireRateLimiting(ApiRateLimits.ClientPolicy)
            .MapGet("/chats/{chatId}/messages", ReadAsync).RequireAuthorization(ApiScopes.Read)
            .Produces<ChatMessageList>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Messages an HTTP chat got while no request was waiting (scheduled runs' answers), after an event id");
        return endpoints;
    }

    private static async Task<IResult> ReadAsync(string chatId, string? after, string? limit, EventRecorder recorder, IEventLog log, CancellationToken ct)
    {
        var query = new ApiQuery();
        var max = query.Number(limit, "limit", DefaultLimit, 1, MaxLimit);
        if (query.Problem is { } problem) return ApiProblems.BadRequest(problem);
        long from = 0;
        if (!string.IsNullOrWhiteSpace(after) && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from))
            return ApiProblems.BadRequest($"after must be an event id (a whole number ≥ 0), not '{after}'");

        await recorder.FlushAsync(ct);   // a message streamed a moment ago is readable here too
        var messages = new List<ChatMessageView>();
        var next = from;
        while (messages.Count < max)
        {
            var page = await log.ReadAsync(new EventQuery { AfterId = next, ChatId = chatId, Channel = HttpChatItem.Source, Limit = MaxLimit }, ct);
            foreach (var e in page)
            {
                next = e.Id;
                if (e.Name == EventNames.ChatMessage && View(e) is { } view) messages.Add(view);
                if (messages.Count == max) break;
            }
            if (page.Count < MaxLimit) break;
        }
        return Results.Ok(new ChatMessageList(messages, next));
    }

    private static ChatMessageView? View(StoredEvent e)
    {
        using var data = System.Text.Json.JsonDocument.Parse(e.Data);
        var root = data.RootElement;
        return root.TryGetProperty("text", out var text) && root.TryGetProperty("message_id", out var id)
            ? new ChatMessageView(e.Id, id.GetString() ?? e.TaskId, e.At, text.GetString() ?? "")
            : null;
    }
}
