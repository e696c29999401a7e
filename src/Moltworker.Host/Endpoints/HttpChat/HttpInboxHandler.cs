using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Inbox;

namespace Moltworker.Host.Endpoints.HttpChat;

/// <summary>
/// Runs the turn of one /api/chat message when the inbox reaches it (one at a time per chat, in order) and hands the
/// answer to the request waiting in <see cref="PendingReplies"/>. A failed turn is the waiting request's to report (a 503
/// for a database that cannot write, a 500 otherwise) and the client's to send again, so the item is not retried.
/// An item no request waits for on this host is run when other hosts share the database and it is younger than
/// <c>Moltworker:Api:CrossHostAnswerWithin</c>: its request may wait on the host that accepted it, which reads the answer
/// from the shared task store (<see cref="RemoteAnswers"/>). Otherwise (one host: its request ended with the process that
/// accepted it) it is not run: no one could receive its answer. A turn it had started was checkpointed and is resumed by the start-up resume pass; one it had not
/// started is the client's to send again (the same messageId then runs it once).
/// </summary>
public sealed partial class HttpInboxHandler(
    IChatService chat,
    PendingReplies replies,
    IHostLeases leases,
    TimeProvider time,
    IOptions<ApiOptions> options,
    ILogger<HttpInboxHandler> logger) : IInboxHandler
{
    public string Source => HttpChatItem.Source;

    public async Task HandleAsync(InboxItem item, CancellationToken cancellationToken)
    {
        if (!replies.IsAwaited(item.ExternalId))
        {
            if (leases.Shared && time.GetUtcNow() - item.ReceivedAt <= options.Value.CrossHostAnswerWithin)
            {
                await RunForAnotherHostAsync(item, cancellationToken);
                return;
            }
            LogOrphaned(item.Id);
            return;
        }
        HttpChatItem? message;
        try { message = HttpChatItem.FromPayload(item.Payload); }
        catch (JsonException ex) { message = null; LogUnreadable(item.Id, ex.Message); }
        if (message is null)
        {
            replies.Fail(item.ExternalId, new InvalidOperationException($"inbox item {item.Id} could not be read"));
            return;
        }
        try { replies.Complete(item.ExternalId, await chat.HandleAsync(message.ToIncoming() with { FirstDelivery = item.FirstDelivery }, cancellationToken)); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex)
        {
            LogTurnFailed(ex, item.Id);
            replies.Fail(item.ExternalId, ex);
        }
    }

    /// <summary>The turn of an item whose request waits on another host: its answer is stored with the task, where that
    /// host reads it. A failure is stored the same way (the task's error).</summary>
    private async Task RunForAnotherHostAsync(InboxItem item, CancellationToken cancellationToken)
    {
        HttpChatItem? message;
        try { message = HttpChatItem.FromPayload(item.Payload); }
        catch (JsonException ex) { LogUnreadable(item.Id, ex.Message); return; }
        if (message is null) return;
        try { await chat.HandleAsync(message.ToIncoming() with { FirstDelivery = item.FirstDelivery }, cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex) when (ex is not (LeaseLostException or ChatLeaseLostException)) { LogTurnFailed(ex, item.Id); }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP inbox item {Id} has no waiting request (accepted before a restart); not run")]
    private partial void LogOrphaned(long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP inbox item {Id} could not be read and was dropped: {Reason}")]
    private partial void LogUnreadable(long id, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The turn for HTTP inbox item {Id} failed; the request was told")]
    private partial void LogTurnFailed(Exception ex, long id);
}
