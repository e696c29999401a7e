using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Options;

namespace Moltworker.Channels.Telegram.Replies;

/// <summary>Sends "typing" at once and then every TypingInterval (Telegram shows it for about 5 s) until disposed.</summary>
public sealed partial class TypingIndicator(TelegramBotClient client, TimeProvider time, IOptions<TelegramOptions> options, ILogger<TypingIndicator> logger)
{
    public IAsyncDisposable Start(long chatId, long? threadId, CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loop = RunAsync(chatId, threadId, cts.Token);
        return new Running(cts, loop);
    }

    private async Task RunAsync(long chatId, long? threadId, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await client.SendChatActionAsync(chatId, "typing", threadId, ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception ex) { LogTypingFailed(ex.Message); }
            try { await Task.Delay(options.Value.TypingInterval, time, ct); }
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
