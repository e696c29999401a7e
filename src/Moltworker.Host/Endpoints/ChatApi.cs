using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Host.Endpoints;

/// <summary>POST /api/chat {"chatId": "...", "text": "..."}: the HTTP channel, for scripts and the web UI.</summary>
public static class ChatApi
{
    public sealed record ChatRequest(string? ChatId, string? UserId, string? Text);

    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapPost("/chat", async (ChatRequest request, IChatService chat, HttpResponse response, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Text)) return Results.BadRequest(new { error = "text is required" });
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var reply = await chat.HandleAsync(new IncomingMessage(new ChatAddress("http", request.ChatId ?? "default", request.UserId), request.Text), ct);
            response.Headers["Server-Timing"] = $"turn;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}";
            return Results.Ok(new { text = reply.Text, isError = reply.IsError, taskId = reply.TaskId,
                usage = reply.Usage is { } u ? new { input = u.InputTokenCount, output = u.OutputTokenCount } : null });
        });
        return endpoints;
    }
}
