using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;

namespace Moltworker.Channels.Telegram;

/// <summary>Logs the channel's start (never the token) and warns when no allow list restricts who is served.</summary>
public sealed partial class TelegramStartup(IOptions<TelegramOptions> options, AccessPolicy access, ILogger<TelegramStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarting(options.Value.Mode.ToString(), new Uri(options.Value.ApiRoot).Host);
        if (access.IsOpen) LogOpen();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram channel starting in {Mode} mode against {ApiHost}")]
    private partial void LogStarting(string mode, string apiHost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram: AllowedUserIds and AllowedChatIds are both empty, so EVERYONE who finds the bot is served. Set Moltworker:Telegram:AllowedUserIds to restrict it.")]
    private partial void LogOpen();
}
