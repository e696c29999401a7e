using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Polling;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Telegram;

/// <summary>The "telegram" entry of /healthz: mode, bot username, polling offset and failures, and how many updates
/// were refused (<c>rejectedUpdates</c>).</summary>
public sealed class TelegramHealth(IOptions<TelegramOptions> options, BotIdentity identity, RejectedIntake rejected, IServiceProvider services) : IHealthContributor
{
    public string Name => "telegram";

    public Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var poller = services.GetService(typeof(TelegramPoller)) as TelegramPoller;
        var failing = poller?.ConsecutiveFailures > 0;
        var data = new
        {
            mode = o.Mode.ToString(),
            bot = identity.Current?.Username,
            offset = poller?.Offset,
            lastPollAt = poller?.LastPollAt,
            consecutiveFailures = poller?.ConsecutiveFailures ?? 0,
            rejectedUpdates = rejected.Count(TelegramIntake.Source),
        };
        return Task.FromResult(new HealthEntry(!failing, data, failing ? "getUpdates is failing; check Moltworker:Telegram:BotToken and ApiRoot" : null));
    }
}
