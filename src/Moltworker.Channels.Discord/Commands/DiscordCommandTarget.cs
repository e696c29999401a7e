using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Options;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Kernel.Commands.Registration;

namespace Moltworker.Channels.Discord.Commands;

/// <summary>Discord's side of command registration: the slash command JSON, a bulk overwrite to <c>GuildId</c> when
/// set (instant) or globally, and the application id plus that scope as the identity.</summary>
public sealed class DiscordCommandTarget(DiscordCommandRegistry registry, DiscordRestClient rest, IOptions<DiscordOptions> options)
    : ICommandRegistrationTarget<JsonArray>
{
    public string Platform => "Discord";

    public event Action? Changed
    {
        add => registry.Changed += value;
        remove => registry.Changed -= value;
    }

    /// <summary><c>global</c> or <c>guild:{id}</c>.</summary>
    public string Scope => string.IsNullOrWhiteSpace(options.Value.GuildId) ? "global" : $"guild:{options.Value.GuildId}";

    public CommandList<JsonArray> Current()
    {
        var json = DiscordCommandRegistry.ToJson(registry.Commands);
        return new(json, json.Count, json.ToJsonString());
    }

    public ValueTask<string> GetStoreKeyAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult($"discord:commands:{options.Value.ApplicationId}:{Scope}");

    public Task RegisterAsync(JsonArray commands, CancellationToken cancellationToken)
    {
        var guild = options.Value.GuildId;
        return string.IsNullOrWhiteSpace(guild)
            ? rest.BulkOverwriteGlobalCommandsAsync(commands, cancellationToken)
            : rest.BulkOverwriteGuildCommandsAsync(guild, commands, cancellationToken);
    }

    public TimeSpan? RetryAfter(Exception error) => error is DiscordRateLimitedException limited ? limited.RetryAfter : null;
}
