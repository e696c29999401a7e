using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Options;
using Moltworker.Kernel.Commands.Registration;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Discord.Commands;

/// <summary>
/// Registers the slash commands at start and whenever plugins change: to <c>GuildId</c> when set (instant),
/// otherwise globally. The SHA-256 of the JSON sent is stored in <see cref="IKeyValueStore"/> under the application
/// id and scope; an unchanged set is not sent again. Failures are retried forever with capped backoff
/// (<see cref="CommandRegistrationLoop{TCommands}"/>).
/// </summary>
public sealed class CommandRegistrar(
    DiscordCommandTarget target,
    IKeyValueStore store,
    TimeProvider time,
    IOptions<CommandRegistrationOptions> registration,
    IOptions<DiscordOptions> options,
    ILogger<CommandRegistrar> logger) : BackgroundService
{
    private readonly CommandRegistrationLoop<JsonArray> _loop = new(target, store, time, registration.Value, logger);

    /// <summary>Completes once the start-up registration (or the decision to skip it) is done.</summary>
    public Task FirstPass => _loop.FirstPass;

    /// <summary>Registers when the set differs from the last registered one (one attempt, no retry). True when it was sent.</summary>
    public Task<bool> RegisterAsync(CancellationToken cancellationToken) => _loop.RegisterOnceAsync(cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RegisterCommands ? _loop.RunAsync(stoppingToken) : Task.CompletedTask;
}
