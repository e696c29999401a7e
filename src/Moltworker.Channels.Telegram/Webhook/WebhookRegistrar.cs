using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Replies;
using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace Moltworker.Channels.Telegram.Webhook;

/// <summary>In webhook mode, registers WebhookUrl with its secret_token at start (retrying with backoff).</summary>
public sealed partial class WebhookRegistrar(ITelegramBotClient client, TelegramResilience resilience, IOptions<TelegramOptions> options, ILogger<WebhookRegistrar> logger)
    : BackgroundService
{
    private static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery];

    public bool Registered { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var pipeline = resilience.Poll(args =>
        {
            LogFailed(TokenRedactor.Redact(args.Outcome.Exception?.Message, o.BotToken), args.RetryDelay);
            return ValueTask.CompletedTask;
        });
        try
        {
            await pipeline.ExecuteAsync(async ct => await client.SetWebhook(o.WebhookUrl!, secretToken: o.WebhookSecret, allowedUpdates: AllowedUpdates, cancellationToken: ct), stoppingToken);
            Registered = true;
            LogRegistered(o.WebhookUrl!);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram webhook registered at {Url}")]
    private partial void LogRegistered(string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram setWebhook failed ({Reason}); retrying in {Delay}")]
    private partial void LogFailed(string reason, TimeSpan delay);
}
