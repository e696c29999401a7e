using Moltworker.Kernel.Filters;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// A Discord conversation is one user in one channel (a DM channel is already one user's):
/// chat id "channel:user". That is also the inbox order key, so one user's commands in a channel run in order
/// and <c>/reset</c> forgets only the caller's conversation.
/// </summary>
public static class DiscordAddress
{
    public const string Channel = "discord";

    public static ChatAddress Of(Interaction interaction) =>
        new(Channel, $"{interaction.ChannelId ?? "dm"}:{interaction.UserId}", interaction.UserId);

    public static string OrderKey(Interaction interaction) => $"{Channel}:{Of(interaction).ChatId}";
}
