using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Commands;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Progress;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Channels.Telegram.Schedules;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Inbox;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram;

/// <summary>
/// Answers one accepted Telegram update (the inbox calls it one at a time per chat): typing while the kernel
/// works, a progress message edited from kernel events, optionally the reply streamed by edits, then the
/// reply formatted, split and sent. <c>/schedule</c>'s list is sent with its buttons (<see cref="ScheduleListMessage"/>).
/// </summary>
public sealed partial class TelegramInboxHandler(
    IChatService chat,
    IEventBus events,
    BotIdentity identity,
    TelegramCommands commands,
    ReplySender sender,
    ScheduleListMessage scheduleList,
    TypingIndicator typing,
    ChatMigrations migrations,
    TimeProvider time,
    IOptions<TelegramOptions> options,
    ILogger<TelegramInboxHandler> logger) : IInboxHandler
{
    public string Source => TelegramIntake.Source;

    public async Task HandleAsync(InboxItem item, CancellationToken cancellationToken)
    {
        if (!UpdateJson.TryRead(item.Payload, out var update, out var unreadable)) { LogUnreadable(item.Id, unreadable!); return; }
        if (update is null) return;

        var me = await identity.GetAsync(cancellationToken);
        var routed = UpdateRouter.Route(update, me, commands.Map);
        if (routed is null) return;
        if (routed.MigrateToChatId is { } to)
        {
            await migrations.RecordAsync(routed.ChatId, to, cancellationToken);
            return;
        }

        var chatId = await migrations.ResolveAsync(routed.ChatId, cancellationToken);
        var target = new ReplyTarget(chatId, routed.ThreadId, routed.IsGroup ? routed.MessageId : null);
        var address = new ChatAddress(TelegramIntake.Source, chatId.ToString(CultureInfo.InvariantCulture), routed.UserId.ToString(CultureInfo.InvariantCulture));
        var o = options.Value;

        var stream = o.StreamReplies && !routed.IsCommand ? new StreamingReply(sender, target, time, o.EditInterval, o.MaxMessageLength) : null;
        ChatReply reply;
        await using (typing.Start(chatId, routed.ThreadId, cancellationToken))
        await using (o.ShowProgress && !routed.IsCommand ? new ProgressStatus(events, sender, target, address, time, o.EditInterval, logger) : null)
        {
            try
            {
                reply = await chat.HandleAsync(new IncomingMessage(address, routed.Text) { MessageId = $"{item.Source}:{item.ExternalId}", FirstDelivery = item.FirstDelivery, OnTextDelta = stream is null ? null : stream.OnDeltaAsync }, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
            catch (Exception ex) when (ex is not (LeaseLostException or ChatLeaseLostException))
            {
                // (A lost lease is not the user's problem: the host that holds the task or chat now answers.)
                LogTurnFailed(ex, item.Id);
                reply = new ChatReply("Sorry, something went wrong while answering. Please try again.", IsError: true);
            }
        }

        if (string.IsNullOrWhiteSpace(reply.Text)) reply = reply with { Text = "(no answer)" };
        await item.Lease.EnsureHeldAsync(cancellationToken); // still this host's chat, or another host answers it

        // Once the answer exists, stopping the host leaves it ShutdownGrace to get out.
        using var send = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        await using var stopping = cancellationToken.Register(() => send.CancelAfter(o.ShutdownGrace));
        try
        {
            if (stream is not null && await stream.FinishAsync(reply.Text, send.Token)) return;
            if (routed.IsCommand && !reply.IsError && ScheduleListMessage.IsListCommand(routed.Text) && scheduleList.Schedules is not null)
            {
                await scheduleList.SendAsync(target, address, send.Token);
                return;
            }
            await sender.SendMarkdownAsync(target, reply.Text, send.Token);
        }
        catch (RequestException ex) when (!TelegramErrors.IsTransient(ex))
        {
            // Blocked by the user, chat gone, no rights: trying the turn again would not help. Transient
            // failures (after the sender's own retries) propagate, so the inbox tries the item again later.
            var (code, description) = TelegramErrors.Describe(ex);
            LogUndeliverable(item.Id, code, description);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply to Telegram inbox item {Id} cannot be delivered ({Code} {Description}); dropped")]
    private partial void LogUndeliverable(long id, int code, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram inbox item {Id} could not be read and was dropped: {Reason}")]
    private partial void LogUnreadable(long id, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The turn for Telegram inbox item {Id} failed; the user was told")]
    private partial void LogTurnFailed(Exception ex, long id);
}
