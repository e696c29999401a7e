using System.Text;
using Moltworker.Channels.Telegram.Formatting;

namespace Moltworker.Channels.Telegram.Replies;

/// <summary>
/// Shows a reply while the model writes it: the first text is sent, later text edits that message at most
/// once per interval. When the text outgrows one message, streaming stops; <see cref="FinishAsync"/> puts
/// the final text in place (first part by edit, the rest as new messages).
/// </summary>
public sealed class StreamingReply(ReplySender sender, ReplyTarget target, TimeProvider time, TimeSpan interval, int maxLength)
{
    private readonly StringBuilder _text = new();
    private readonly SemaphoreSlim _lock = new(1, 1);
    private int? _messageId;
    private long _chatId = target.ChatId;
    private DateTimeOffset _lastEdit = DateTimeOffset.MinValue;
    private bool _stopped;

    public int Edits { get; private set; }

    public async Task OnDeltaAsync(string delta)
    {
        await _lock.WaitAsync();
        try
        {
            _text.Append(delta);
            if (_stopped || time.GetUtcNow() - _lastEdit < interval) return;
            var html = MarkdownToTelegramHtml.Convert(_text.ToString());
            if (html.Length > maxLength - 16) { _stopped = true; return; }
            if (string.IsNullOrWhiteSpace(html)) return;
            await ShowAsync(html + " …");
            _lastEdit = time.GetUtcNow();
        }
        catch (Exception) when (!_stopped)
        {
            _stopped = true; // the final reply is still sent by FinishAsync
        }
        finally { _lock.Release(); }
    }

    /// <summary>Replaces the streamed text by the final reply. Returns false when nothing was streamed.</summary>
    public async Task<bool> FinishAsync(string markdown, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            if (_messageId is null) return false;
            var parts = sender.Render(markdown);
            if (parts.Count == 0) parts = ["…"];
            await sender.EditHtmlAsync(_chatId, _messageId.Value, parts[0], ct);
            foreach (var part in parts.Skip(1)) await sender.SendHtmlAsync(target with { ReplyToMessageId = null }, part, ct);
            return true;
        }
        finally { _lock.Release(); }
    }

    private async Task ShowAsync(string html)
    {
        if (_messageId is null)
        {
            var message = await sender.SendHtmlAsync(target, html, CancellationToken.None);
            _messageId = message.Id;
            _chatId = message.Chat.Id;
        }
        else
        {
            await sender.EditHtmlAsync(_chatId, _messageId.Value, html, CancellationToken.None);
            Edits++;
        }
    }
}
