using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Host.Endpoints;

/// <summary>POST /api/chat {"chatId": "...", "text": "...", "messageId": "..."}: the HTTP channel, for scripts and the web
/// UI. With a <c>messageId</c> the request is idempotent within its chat: sent again (a client retrying after a timeout),
/// it joins the running task or gets the stored answer instead of starting a second turn.</summary>
public static class ChatApi
{
    public const int MaxMessageIdLength = 200;

    public sealed record ChatRequest(string? ChatId, string? UserId, string? Text, string? MessageId = null);

    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapPost("/chat", async (ChatRequest request, IChatService chat, HttpResponse response, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Text)) return Results.BadRequest(new { error = "text is required" });
            if (request.MessageId is { Length: 0 or > MaxMessageIdLength })
                return Results.BadRequest(new { error = $"messageId must be 1 to {MaxMessageIdLength} characters" });
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var message = new IncomingMessage(new ChatAddress("http", request.ChatId ?? "default", request.UserId), request.Text) { MessageId = request.MessageId };
            var reply = await chat.HandleAsync(message, ct);
            response.Headers["Server-Timing"] = $"turn;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}";
            return Results.Ok(new { text = reply.Text, isError = reply.IsError, taskId = reply.TaskId,
                usage = reply.Usage is { } u ? new { input = u.InputTokenCount, output = u.OutputTokenCount } : null });
        });
        return endpoints;
    }
}
