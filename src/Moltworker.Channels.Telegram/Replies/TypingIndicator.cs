using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Options;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace Moltworker.Channels.Telegram.Replies;

/// <summary>Sends "typing" at once and then every TypingInterval (Telegram shows it for about 5 s) until disposed.</summary>
public sealed partial class TypingIndicator(ITelegramBotClient client, TimeProvider time, IOptions<TelegramOptions> options, ILogger<TypingIndicator> logger)
{
    public IAsyncDisposable Start(long chatId, int? threadId, CancellationToken ct)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loop = RunAsync(chatId, threadId, stop.Token, ct);
        return new Running(stop, loop);
    }

    // Stopping ends the wait between actions but lets an action already on the wire finish: cancelling an
    // in-flight request would tear down a pooled connection that the reply is about to use.
    private async Task RunAsync(long chatId, int? threadId, CancellationToken stop, CancellationToken ct)
    {
        while (!stop.IsCancellationRequested)
        {
            try { await client.SendChatAction(chatId, ChatAction.Typing, messageThreadId: threadId, cancellationToken: ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex) { LogTypingFailed(ex.Message); }
            try { await Task.Delay(options.Value.TypingInterval, time, stop); }
            catch (OperationCanceledException) { return; }
        }
    }

    private sealed class Running(CancellationTokenSource cts, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await cts.CancelAsync();
            try { await loop; } catch (OperationCanceledException) { }
            cts.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram typing action failed: {Reason}")]
    private partial void LogTypingFailed(string reason);
}
