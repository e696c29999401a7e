using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Options;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Discord.Commands;

/// <summary>
/// Registers the slash commands at start and whenever plugins change: to <c>GuildId</c> when set (instant),
/// otherwise globally. The SHA-256 of the JSON sent is stored in <see cref="IKeyValueStore"/>; an unchanged
/// set is not sent again.
/// </summary>
public sealed partial class CommandRegistrar(
    DiscordCommandRegistry registry,
    DiscordRestClient rest,
    IKeyValueStore store,
    IOptions<DiscordOptions> options,
    ILogger<CommandRegistrar> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0);

    /// <summary>Registers when the set differs from the last registered one. True when it was sent.</summary>
    public async Task<bool> RegisterAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var json = DiscordCommandRegistry.ToJson(registry.Commands);
        var hash = DiscordCommandRegistry.Hash(json);
        var scope = string.IsNullOrWhiteSpace(o.GuildId) ? "global" : $"guild:{o.GuildId}";
        var key = $"discord:commands:{o.ApplicationId}:{scope}";
        if (await store.GetAsync(key, cancellationToken) == hash)
        {
            LogUnchanged(json.Count, scope);
            return false;
        }
        if (string.IsNullOrWhiteSpace(o.GuildId))
            await rest.BulkOverwriteGlobalCommandsAsync(json, cancellationToken);
        else
            await rest.BulkOverwriteGuildCommandsAsync(o.GuildId, json, cancellationToken);
        await store.SetAsync(key, hash, cancellationToken);
        LogRegistered(json.Count, scope);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RegisterCommands) return;
        registry.Changed += OnChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try { await RegisterAsync(stoppingToken); }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
                catch (Exception ex) { LogFailed(ex); }
                await _changed.WaitAsync(stoppingToken);
                while (_changed.CurrentCount > 0) await _changed.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            registry.Changed -= OnChanged;
        }
    }

    private void OnChanged() => _changed.Release();

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord commands unchanged ({Count}, {Scope}); not registered again")]
    private partial void LogUnchanged(int count, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Count} Discord commands ({Scope})")]
    private partial void LogRegistered(int count, string scope);

    [LoggerMessage(Level = LogLevel.Error, Message = "Registering Discord commands failed; will try again when commands change")]
    private partial void LogFailed(Exception ex);
}
