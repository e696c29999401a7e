using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Options;

namespace Moltworker.Channels.Telegram.Intake;

/// <summary>AllowedUserIds / AllowedChatIds: a message is served when its user or its chat is listed;
/// with both lists empty everyone is served.</summary>
public sealed class AccessPolicy(IOptions<TelegramOptions> options)
{
    private readonly HashSet<long> _users = [.. options.Value.AllowedUserIds];
    private readonly HashSet<long> _chats = [.. options.Value.AllowedChatIds];

    public bool IsOpen => _users.Count == 0 && _chats.Count == 0;

    public bool Allows(long chatId, long userId) => IsOpen || _users.Contains(userId) || _chats.Contains(chatId);
}
