using System.Text.Json.Nodes;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// Sends a scheduled run's answer to its Discord chat: a chat id is "channel:user" (<see cref="DiscordAddress"/>), so the
/// answer is posted in that channel with the bot token, split at 2,000 characters, mentioning nobody; a direct-message
/// chat ("dm:user") first opens the bot's DM channel with the user.
/// </summary>
public sealed class DiscordChatDelivery(DiscordRestClient rest) : IChatDelivery
{
    public string Channel => DiscordAddress.Channel;

    public async Task DeliverAsync(ChatAddress address, string markdown, CancellationToken cancellationToken)
    {
        var channel = await ChannelOfAsync(address, cancellationToken);
        foreach (var part in MessageSplitter.Split(markdown))
            await rest.CreateMessageAsync(channel, new JsonObject { ["content"] = part, ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() } }, cancellationToken);
    }

    /// <summary>The Discord channel a chat's messages go to: the channel part of "channel:user", or for "dm:user" the
    /// bot's direct-message channel with the user, opened on the way.</summary>
    public async Task<string> ChannelOfAsync(ChatAddress address, CancellationToken cancellationToken)
    {
        var separator = address.ChatId.LastIndexOf(':');
        var channel = separator < 0 ? address.ChatId : address.ChatId[..separator];
        if (channel != "dm") return channel;
        var user = address.UserId ?? address.ChatId[(separator + 1)..];
        var opened = await rest.CreateDirectMessageChannelAsync(user, cancellationToken);
        return opened?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("Discord opened no direct-message channel");
    }
}
