using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Replies;

namespace Moltworker.Channels.Telegram;

/// <summary>Logs the channel's start (never the token), warns when no allow list restricts who is served, and
/// fetches the bot's identity (getMe) early so a wrong token shows up in the log at once.</summary>
public sealed partial class TelegramStartup(
    IOptions<TelegramOptions> options,
    AccessPolicy access,
    BotIdentity identity,
    TelegramResilience resilience,
    ILogger<TelegramStartup> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarting(options.Value.Mode.ToString(), new Uri(options.Value.ApiRoot).Host);
        if (access.IsOpen) LogOpen();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pipeline = resilience.Poll(args =>
        {
            if (args.Outcome.Exception is { } error && TelegramErrors.IsBadToken(error)) LogBadToken();
            else LogGetMeFailed(TokenRedactor.Redact(args.Outcome.Exception?.Message, options.Value.BotToken), args.RetryDelay);
            return ValueTask.CompletedTask;
        });
        try
        {
            var me = await pipeline.ExecuteAsync(async ct => await identity.GetAsync(ct), stoppingToken);
            LogReady(me.Username ?? me.FirstName);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram channel starting in {Mode} mode against {ApiHost}")]
    private partial void LogStarting(string mode, string apiHost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: AllowedUserIds and AllowedChatIds are both empty, so EVERYONE who finds the bot is served. Set Moltworker:Telegram:AllowedUserIds to restrict it.")]
    private partial void LogOpen();

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram bot @{Username} is ready")]
    private partial void LogReady(string username);

    [LoggerMessage(Level = LogLevel.Error, Message = "Telegram rejected the bot token; check Moltworker:Telegram:BotToken (retrying with backoff)")]
    private partial void LogBadToken();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram getMe failed ({Reason}); retrying in {Delay}")]
    private partial void LogGetMeFailed(string reason, TimeSpan delay);
}
