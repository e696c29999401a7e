using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Formatting;
using Moltworker.Channels.Telegram.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Moltworker.Channels.Telegram.Replies;

/// <summary>
/// Sends and edits messages: Markdown to Telegram HTML, split under the limit, each part re-sent as plain
/// text when Telegram cannot parse it, retried through <see cref="TelegramResilience.Send"/>, following a
/// group's migration to a supergroup. "message is not modified" is a successful edit. Link previews are off.
/// </summary>
public sealed partial class ReplySender(
    ITelegramBotClient client,
    TelegramResilience resilience,
    ChatMigrations migrations,
    IOptions<TelegramOptions> options,
    ILogger<ReplySender> logger)
{
    private static readonly LinkPreviewOptions NoPreview = new() { IsDisabled = true };

    public IReadOnlyList<string> Render(string markdown) =>
        MessageSplitter.Split(MarkdownToTelegramHtml.Convert(markdown), options.Value.MaxMessageLength);

    /// <summary>Sends the reply; returns the ids of the messages sent.</summary>
    public async Task<IReadOnlyList<int>> SendMarkdownAsync(ReplyTarget target, string markdown, CancellationToken ct)
    {
        var parts = Render(markdown);
        var ids = new List<int>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var message = await SendHtmlAsync(i == 0 ? target : target with { ReplyToMessageId = null }, parts[i], ct);
            ids.Add(message.Id);
        }
        return ids;
    }

    /// <summary>Sends one part in HTML; if Telegram cannot parse it, the same part as plain text.</summary>
    public async Task<Message> SendHtmlAsync(ReplyTarget target, string html, CancellationToken ct)
    {
        try { return await SendAsync(target, html, ParseMode.Html, ct); }
        catch (ApiRequestException ex) when (TelegramErrors.IsCantParseEntities(ex))
        {
            LogPlainFallback(ex.Message);
            return await SendAsync(target, TelegramHtml.ToPlainText(html), ParseMode.None, ct);
        }
    }

    public async Task<Message> SendAsync(ReplyTarget target, string text, ParseMode parseMode, CancellationToken ct)
    {
        var chatId = await migrations.ResolveAsync(target.ChatId, ct);
        // A reply to a message that was deleted meanwhile is still sent, just without the quote.
        var replyTo = target.ReplyToMessageId is { } id ? new ReplyParameters { MessageId = id, AllowSendingWithoutReply = true } : null;
        Task<Message> Send(long chat, CancellationToken token) => client.SendMessage(chat, text, parseMode, replyParameters: replyTo,
            linkPreviewOptions: NoPreview, messageThreadId: target.ThreadId, cancellationToken: token);
        try
        {
            return await resilience.Send.ExecuteAsync(async token => await Send(chatId, token), ct);
        }
        catch (ApiRequestException ex) when (TelegramErrors.MigrateToChatId(ex) is { } to && to != chatId)
        {
            LogMigrated(chatId, to);
            await migrations.RecordAsync(target.ChatId, to, ct);
            return await resilience.Send.ExecuteAsync(async token => await Send(to, token), ct);
        }
    }

    /// <summary>Edits a message to this HTML (plain text if it cannot be parsed). Not modified counts as done.</summary>
    public async Task EditHtmlAsync(long chatId, int messageId, string html, CancellationToken ct)
    {
        try { await EditAsync(chatId, messageId, html, ParseMode.Html, ct); }
        catch (ApiRequestException ex) when (TelegramErrors.IsCantParseEntities(ex))
        {
            await EditAsync(chatId, messageId, TelegramHtml.ToPlainText(html), ParseMode.None, ct);
        }
    }

    public async Task EditAsync(long chatId, int messageId, string text, ParseMode parseMode, CancellationToken ct)
    {
        try
        {
            await resilience.Send.ExecuteAsync(async token =>
                await client.EditMessageText(chatId, messageId, text, parseMode, linkPreviewOptions: NoPreview, cancellationToken: token), ct);
        }
        catch (ApiRequestException ex) when (TelegramErrors.IsNotModified(ex)) { }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram could not parse a reply part as HTML ({Reason}); sent as plain text")]
    private partial void LogPlainFallback(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {From} migrated to {To}; replies follow")]
    private partial void LogMigrated(long from, long to);
}
