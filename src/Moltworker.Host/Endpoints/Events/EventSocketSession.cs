using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Host.Endpoints.HttpChat;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Options;

namespace Moltworker.Host.Endpoints.Events;

/// <summary>One <c>/api/ws</c> connection: pumps its <see cref="EventFeed"/> to the socket and reads the client's chat
/// messages. Sends are serialized (events and answers share the socket). When the feed drops the client for falling
/// behind, the socket is closed with <see cref="SocketCloseCodes.TooSlow"/>, or aborted if even that cannot be sent
/// within the ping timeout (a client that reads nothing).</summary>
public sealed class EventSocketSession(
    HttpContext context, StreamRequest request, EventRecorder recorder, IEventLog log, IOptions<EventsOptions> events, IOptions<ApiOptions> api,
    ChatRateLimiter limits, InboxDispatcher inbox, PendingReplies replies, IChatService chat, TimeProvider time, IHostApplicationLifetime lifetime)
{
    private static readonly byte[] SocketPrefix = "{\"type\":\"event\",\"event\":"u8.ToArray();

    private readonly SemaphoreSlim _sending = new(1, 1);

    public async Task RunAsync()
    {
        var settings = events.Value;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var feed = await EventFeed.OpenAsync(recorder, log, request.Query, request.AfterId, settings.SubscriberBuffer,
            new StreamPacer(recorder.Hub, settings.StreamWriteRate, time), time, stop.Token, context.RequestAborted);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            { KeepAliveInterval = settings.Heartbeat, KeepAliveTimeout = settings.PingTimeout });
        using var abortIfStuck = feed.Dropped.Register(() => _ = AbortLaterAsync(socket, settings.PingTimeout));
        var pump = PumpAsync(socket, feed, stop.Token);
        var receive = ReceiveAsync(socket, stop.Token);
        await Task.WhenAny(pump, receive);
        await stop.CancelAsync();
        try { await Task.WhenAll(pump, receive); }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException) { }
    }

    private async Task PumpAsync(WebSocket socket, EventFeed feed, CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>(1024);
        while (await feed.NextAsync(Timeout.InfiniteTimeSpan, cancellationToken) is { } next)   // the socket pings by itself
        {
            for (var i = 0; i < next.Count; i++)
            {
                var e = next[i];
                message.ResetWrittenCount();
                message.Write(SocketPrefix);   // {"type":"event","event":{json}}: the JSON was encoded once for every stream
                message.Write(e.Json.Span);
                message.Write("}"u8);
                if (!feed.Intact(e)) break;   // the ring moved past what was copied: dropped, the copy is not sent
                await SendAsync(socket, message.WrittenMemory, cancellationToken);
            }
            if (feed.WasDropped) break;
        }
        if (feed.WasDropped && socket.State == WebSocketState.Open)
            await socket.CloseOutputAsync((WebSocketCloseStatus)SocketCloseCodes.TooSlow,
                "too slow: events were dropped; reconnect with ?lastEventId= to get them", CancellationToken.None);
    }

    private async Task AbortLaterAsync(WebSocket socket, TimeSpan grace)
    {
        await Task.Delay(grace, time);
        if (socket.State is not (WebSocketState.Closed or WebSocketState.Aborted)) socket.Abort();
    }

    private async Task ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var limit = (int)Math.Min(int.MaxValue, api.Value.MaxChatBodyBytes);
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (!cancellationToken.IsCancellationRequested)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            message.Write(buffer, 0, result.Count);
            if (message.Length > limit)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)SocketCloseCodes.MessageTooLarge,
                    $"a message may be at most {limit} bytes (Moltworker:Api:MaxChatBytes)", CancellationToken.None);
                return;
            }
            if (!result.EndOfMessage) continue;
            var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            message.SetLength(0);
            await HandleAsync(socket, text, cancellationToken);
        }
    }

    /// <summary>One client message: a chat goes into the durable inbox and its answer is sent when its turn is done
    /// (without holding up the next message); anything else gets an error message shaped like a problem body.</summary>
    private async Task HandleAsync(WebSocket socket, string text, CancellationToken cancellationToken)
    {
        SocketChatMessage? message;
        try { message = JsonSerializer.Deserialize<SocketChatMessage>(text, JsonSerializerOptions.Web); }
        catch (JsonException ex)
        {
            await ErrorAsync(socket, null, 400, $"the message is not valid JSON: {ex.Message}", cancellationToken);
            return;
        }
        if (message?.Type != "chat")
        {
            await ErrorAsync(socket, message?.MessageId, 400, "type must be \"chat\"", cancellationToken);
            return;
        }
        if (!context.User.HasClaim(c => c.Type == ApiScopes.Claim && c.Value is ApiScopes.Chat or ApiScopes.Admin))
        {
            await ErrorAsync(socket, message.MessageId, 403, $"The API key lacks the '{ApiScopes.Chat}' scope.", cancellationToken);
            return;
        }
        var chatRequest = new ChatApi.ChatRequest(message.ChatId, message.UserId, message.Text, message.MessageId);
        if (ChatApi.Problem(chatRequest) is { } problem)
        {
            await ErrorAsync(socket, message.MessageId, 400, problem, cancellationToken);
            return;
        }
        if (Encoding.UTF8.GetByteCount(message.Text!) > api.Value.MaxChatBytes)
        {
            await ErrorAsync(socket, message.MessageId, 413, $"text must be at most {api.Value.MaxChatBytes} bytes of UTF-8 (Moltworker:Api:MaxChatBytes); nothing was stored", cancellationToken);
            return;
        }
        using (var permit = limits.Acquire(chatRequest.ChatId ?? "default"))
            if (!permit.IsAcquired)
            {
                await ErrorAsync(socket, message.MessageId, 429, "Too many messages for this chat; try again later.", cancellationToken);
                return;
            }
        var item = HttpChatItem.From(chatRequest);
        var answer = replies.Join(item.ExternalId, out var first);
        if (first) await ChatApi.SubmitAsync(item, answer, inbox, replies,
            context.RequestServices.GetRequiredService<RemoteAnswers>(), chat, cancellationToken);
        _ = AnswerAsync(socket, item, answer, cancellationToken);
    }

    private async Task AnswerAsync(WebSocket socket, HttpChatItem item, Task<ChatReply> answer, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await answer.WaitAsync(cancellationToken);
            await SendAsync(socket, JsonSerializer.SerializeToUtf8Bytes(new
            {
                type = "answer", chatId = item.ChatId, messageId = item.MessageId, taskId = reply.TaskId, text = reply.Text, isError = reply.IsError,
            }, JsonSerializerOptions.Web), cancellationToken);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        catch (Exception ex)
        {
            try { await ErrorAsync(socket, item.MessageId, 500, $"the turn failed: {ex.Message}", cancellationToken); }
            catch (Exception) { }   // the socket is gone too
        }
    }

    private Task ErrorAsync(WebSocket socket, string? messageId, int status, string detail, CancellationToken cancellationToken) =>
        SendAsync(socket, JsonSerializer.SerializeToUtf8Bytes(new { type = "error", messageId, status, detail }, JsonSerializerOptions.Web), cancellationToken);

    /// <summary>Sends one text message (UTF-8 JSON).</summary>
    private async Task SendAsync(WebSocket socket, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try { await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken); }
        finally { _sending.Release(); }
    }
}
