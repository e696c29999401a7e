using Moltworker.Abstractions;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Memory;

/// <summary>
/// Whose memories a turn or a call sees: the channel and the user speaking (<c>telegram:123</c>), so the same person
/// has the same memories in every chat of a channel, and two channels' user ids never meet. Null when the message
/// names no user: such a turn has no memories and cannot store any.
/// </summary>
public static class MemoryUser
{
    public static string? Of(ChatAddress address) => Key(address.Channel, address.UserId);

    public static string? Of(ToolContext context) => Key(context.Channel, context.UserId);

    private static string? Key(string? channel, string? user) =>
        string.IsNullOrWhiteSpace(channel) || string.IsNullOrWhiteSpace(user) ? null : $"{channel}:{user}";
}
