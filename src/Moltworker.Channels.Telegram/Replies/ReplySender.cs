using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Client.Models;
using Moltworker.Channels.Telegram.Formatting;
using Moltworker.Channels.Telegram.Options;

namespace Moltworker.Channels.Telegram.Replies;

/// <summary>
/// Sends and edits messages: Markdown to Telegram HTML, split under the limit, each part re-sent as plain
/// text when Telegram cannot parse it, retried through <see cref="TelegramResilience.Send"/>, following a
/// group's migration to a supergroup. "message is not modified" is a successful edit.
/// </summary>
public sealed partial class ReplySender(
    TelegramBotClient client,
    TelegramResilience resilience,
    ChatMigrations migrations,
    IOptions<TelegramOptions> options,
    ILogger<ReplySender> logger)
{
    public IReadOnlyList<string> Render(string markdown) =>
        MessageSplitter.Split(MarkdownToTelegramHtml.Convert(markdown), options.Value.MaxMessageLength);

    /// <summary>Sends the reply; returns the ids of the messages sent.</summary>
    public async Task<IReadOnlyList<long>> SendMarkdownAsync(ReplyTarget target, string markdown, CancellationToken ct)
    {
        var parts = Render(markdown);
        var ids = new List<long>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var message = await SendHtmlAsync(i == 0 ? target : target with { ReplyToMessageId = null }, parts[i], ct);
            ids.Add(message.MessageId);
        }
        return ids;
    }

    /// <summary>Sends one part in HTML; if Telegram cannot parse it, the same part as plain text.</summary>
    public async Task<TelegramMessage> SendHtmlAsync(ReplyTarget target, string html, CancellationToken ct)
    {
        try { return await SendAsync(target, html, "HTML", ct); }
        catch (TelegramApiException ex) when (ex.Kind == TelegramErrorKind.CantParseEntities)
        {
            LogPlainFallback(ex.Description);
            return await SendAsync(target, TelegramHtml.ToPlainText(html), null, ct);
        }
    }

    public async Task<TelegramMessage> SendAsync(ReplyTarget target, string text, string? parseMode, CancellationToken ct)
    {
        var chatId = await migrations.ResolveAsync(target.ChatId, ct);
        var send = new SendMessageOptions { ParseMode = parseMode, MessageThreadId = target.ThreadId, ReplyToMessageId = target.ReplyToMessageId };
        try
        {
            return await resilience.Send.ExecuteAsync(async token => await client.SendMessageAsync(chatId, text, send, token), ct);
        }
        catch (TelegramApiException ex) when (ex.MigrateToChatId is { } to && to != chatId)
        {
            LogMigrated(chatId, to);
            await migrations.RecordAsync(target.ChatId, to, ct);
            return await resilience.Send.ExecuteAsync(async token => await client.SendMessageAsync(to, text, send, token), ct);
        }
    }

    /// <summary>Edits a message to this HTML (plain text if it cannot be parsed). Not modified counts as done.</summary>
    public async Task EditHtmlAsync(long chatId, long messageId, string html, CancellationToken ct)
    {
        try { await EditAsync(chatId, messageId, html, "HTML", ct); }
        catch (TelegramApiException ex) when (ex.Kind == TelegramErrorKind.CantParseEntities)
        {
            await EditAsync(chatId, messageId, TelegramHtml.ToPlainText(html), null, ct);
        }
    }

    public async Task EditAsync(long chatId, long messageId, string text, string? parseMode, CancellationToken ct)
    {
        try
        {
            await resilience.Send.ExecuteAsync(async token => await client.EditMessageTextAsync(chatId, messageId, text, parseMode, token), ct);
        }
        catch (TelegramApiException ex) when (ex.Kind == TelegramErrorKind.MessageNotModified) { }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram could not parse a reply part as HTML ({Reason}); sent as plain text")]
    private partial void LogPlainFallback(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram chat {From} migrated to {To}; replies follow")]
    private partial void LogMigrated(long from, long to);
}
