using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Host.Endpoints.HttpChat;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.State;

namespace Moltworker.Host.Endpoints;

/// <summary>POST /api/chat {"chatId": "...", "text": "...", "messageId": "..."}: the HTTP channel, for scripts and the web
/// UI. Each message goes through the durable per-chat inbox like the other channels' (one turn at a time per chat, in
/// order of arrival), and the request stays open until its own turn is answered. With a <c>messageId</c> the request is
/// idempotent within its chat: sent again (a client retrying after a timeout), it joins the waiting or running turn or
/// gets the stored answer instead of starting a second turn. Every refusal is a problem
/// body: 400 for a body that is not a valid request (saying what is wrong), 413 for a message over
/// <see cref="ApiOptions.MaxChatBytes"/> (refused before anything is stored), 429 with <c>Retry-After</c> over a rate
/// limit (per client, see <see cref="ApiRateLimits"/>, and per chat, see <see cref="ChatRateLimiter"/>), 503 with <c>Retry-After</c> while the
/// database cannot write (disk full, read-only).</summary>
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

    /// <summary>The answer of <c>POST /api/chat</c>.</summary>
    public sealed record ChatResponse(string Text, bool IsError, string? TaskId, ChatUsage? Usage);

    /// <summary>Tokens of the turn's model calls.</summary>
    public sealed record ChatUsage(long? Input, long? Output);

    public static IEndpointRouteBuilder MapChatApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").RequireRateLimiting(ApiRateLimits.ClientPolicy);
        api.MapPost("/chat", async (HttpContext context, ChatRateLimiter limits, IOptions<ApiOptions> options, InboxDispatcher inbox, PendingReplies replies, RemoteAnswers remote, IChatService chat, CancellationToken ct) =>
        {
            var (request, refusal) = await ReadAsync(context, options.Value, ct);
            if (refusal is not null) return refusal;
            using var permit = limits.Acquire(request!.ChatId ?? "default");
            if (!permit.IsAcquired) return ApiRateLimits.Refuse(context.Response, permit, "this chat");
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var item = HttpChatItem.From(request);
            var answer = replies.Join(item.ExternalId, out var first);
            if (first) await SubmitAsync(item, answer, inbox, replies, remote, chat, ct);
            ChatReply reply;
            try { reply = await answer.WaitAsync(ct); }
            catch (StorageException ex) { return DatabaseUnavailable(context.Response, ex); }
            context.Response.Headers["Server-Timing"] = $"turn;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}";
            return Results.Ok(new ChatResponse(reply.Text, reply.IsError, reply.TaskId,
                reply.Usage is { } u ? new ChatUsage(u.InputTokenCount, u.OutputTokenCount) : null));
        }).RequireAuthorization(ApiScopes.Chat).Accepts<ChatRequest>("application/json").Produces<ChatResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable).WithSummary("Send a message and wait for its answer (durable, in order per chat)");
        endpoints.MapChatMessagesApi();
        return endpoints;
    }

    /// <summary>Puts <paramref name="item"/> into the durable inbox, whose handler completes its entry in
    /// <see cref="PendingReplies"/> when the chat's earlier messages are answered. A message seen before (its messageId was
    /// sent earlier and no request waits for it any more) is not queued again: the kernel joins its task or answers from
    /// the store. <c>/api/ws</c> submits its chat messages the same way. With several hosts, the answer may come from the
    /// host that holds the chat (<see cref="RemoteAnswers"/>).</summary>
    internal static async Task SubmitAsync(HttpChatItem item, Task<ChatReply> answer, InboxDispatcher inbox, PendingReplies replies,
        RemoteAnswers remote, IChatService chat, CancellationToken ct)
    {
        remote.Watch(item, answer);
        bool added;
        try { added = await inbox.AcceptAsync(HttpChatItem.Source, item.ExternalId, item.OrderKey, item.ToPayload(), ct); }
        catch (Exception ex)
        {
            replies.Fail(item.ExternalId, ex);
            return;
        }
        if (added) return;
        _ = Task.Run(async () =>
        {
            try { replies.Complete(item.ExternalId, await chat.HandleAsync(item.ToIncoming(), CancellationToken.None)); }
            catch (Exception ex) { replies.Fail(item.ExternalId, ex); }
        }, CancellationToken.None);
    }

    /// <summary>Nothing was taken: the client may send the same request (same messageId) again after Retry-After.</summary>
    private static IResult DatabaseUnavailable(HttpResponse response, StorageException ex)
    {
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.Unavailable("The database cannot write", ex.Message);
    }

    /// <summary>Reads and checks the body: the request, or the problem to answer instead.</summary>
    private static async Task<(ChatRequest? Request, IResult? Refusal)> ReadAsync(HttpContext context, ApiOptions options, CancellationToken ct)
    {
        var http = context.Request;
        if (!http.HasJsonContentType()) return (null, ApiProblems.UnsupportedMediaType("the body must be JSON (Content-Type: application/json)"));
        var limit = options.MaxChatBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;
        if (http.ContentLength > limit) return (null, TooLarge(options));
        ChatRequest? request;
        try { request = await http.ReadFromJsonAsync<ChatRequest>(ct); }
        catch (JsonException ex) { return (null, ApiProblems.BadRequest($"the body is not valid JSON: {ex.Message}")); }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge) { return (null, TooLarge(options)); }
        if (Problem(request) is { } problem) return (null, ApiProblems.BadRequest(problem));
        if (Encoding.UTF8.GetByteCount(request!.Text!) > options.MaxChatBytes) return (null, TooLarge(options));
        return (request, null);
    }

    private static IResult TooLarge(ApiOptions options) =>
        ApiProblems.TooLarge($"text must be at most {options.MaxChatBytes} bytes of UTF-8 (Moltworker:Api:MaxChatBytes); nothing was stored");
}
