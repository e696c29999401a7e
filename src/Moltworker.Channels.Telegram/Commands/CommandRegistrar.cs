using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Commands.Registration;
using Moltworker.Kernel.State;
using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram.Commands;

/// <summary>
/// Calls setMyCommands at start and whenever the plugin commands change, unless the same list was already
/// registered for this bot (its hash is kept in the key-value store under the bot's id). Failures are retried
/// forever with capped backoff (<see cref="CommandRegistrationLoop{TCommands}"/>).
/// </summary>
public sealed class CommandRegistrar(
    TelegramCommandTarget target,
    IKeyValueStore store,
    TimeProvider time,
    IOptions<CommandRegistrationOptions> options,
    ILogger<CommandRegistrar> logger) : BackgroundService
{
    private readonly CommandRegistrationLoop<IReadOnlyList<BotCommand>> _loop = new(target, store, time, options.Value, logger);

    /// <summary>Completes once the start-up registration (or the decision to skip it) is done.</summary>
    public Task FirstPass => _loop.FirstPass;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _loop.RunAsync(stoppingToken);
}
