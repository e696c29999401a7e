using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Options;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// <c>AllowedGuildIds</c>: when set, only those guilds (DMs refused). <c>AllowedUserIds</c>/<c>AllowedRoleIds</c>:
/// when either is set, the user must be listed or hold a listed role. Empty lists allow everyone.
/// </summary>
public sealed class AccessPolicy(IOptions<DiscordOptions> options)
{
    public bool IsAllowed(Interaction interaction)
    {
        var o = options.Value;
        if (o.AllowedGuildIds.Count > 0 && (interaction.GuildId is null || !o.AllowedGuildIds.Contains(interaction.GuildId)))
            return false;
        if (o.AllowedUserIds.Count == 0 && o.AllowedRoleIds.Count == 0) return true;
        if (interaction.UserId is { } user && o.AllowedUserIds.Contains(user)) return true;
        return interaction.RoleIds.Any(o.AllowedRoleIds.Contains);
    }
}
