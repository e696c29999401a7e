using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.State;

namespace Moltworker.Host.Endpoints;

/// <summary>POST /api/chat {"chatId": "...", "text": "...", "messageId": "..."}: the HTTP channel, for scripts and the web
/// UI. With a <c>messageId</c> the request is idempotent within its chat: sent again (a client retrying after a timeout),
/// it joins the running task or gets the stored answer instead of starting a second turn. While the database cannot write
/// (disk full, read-only) the answer is 503 with a problem body and <c>Retry-After</c>.</summary>
public static class ChatApi
{
    public const int MaxMessageIdLength = 200;

    /// <summary>The <c>Retry-After</c> of a 503 while the database cannot write.</summary>
    public const int RetryAfterSeconds = 30;

    /// <summary>Why <paramref name="request"/> is refused with 400; null when it is acceptable.</summary>
    public static string? Problem(ChatRequest? request) =>
        request is null ? "the body must be a JSON object"
        : string.IsNullOrWhiteSpace(request.Text) ? "text is required"
        : request.MessageId is { Length: 0 or > MaxMessageIdLength } ? $"messageId must be 1 to {MaxMessageIdLength} characters"
        : null;

    public sealed record ChatRequest(string? ChatId, string? UserId, string? Text, string? MessageId = null);

    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapPost("/chat", async (ChatRequest request, IChatService chat, HttpResponse response, CancellationToken ct) =>
        {
            if (Problem(request) is { } problem) return Results.BadRequest(new { error = problem });
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var message = new IncomingMessage(new ChatAddress("http", request.ChatId ?? "default", request.UserId), request.Text!) { MessageId = request.MessageId };
            ChatReply reply;
            try { reply = await chat.HandleAsync(message, ct); }
            catch (StorageException ex)
            {
                // Nothing was taken: the client may send the same request (same messageId) again after Retry-After.
                response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Problem(title: "The database cannot write", detail: ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            response.Headers["Server-Timing"] = $"turn;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}";
            return Results.Ok(new { text = reply.Text, isError = reply.IsError, taskId = reply.TaskId,
                usage = reply.Usage is { } u ? new { input = u.InputTokenCount, output = u.OutputTokenCount } : null });
        });
        return endpoints;
    }
}
