using Telegram.Bot;
using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram.Intake;

/// <summary>The bot's own user (from getMe), fetched once and cached; a failed fetch is retried on the next call.</summary>
public sealed class BotIdentity(ITelegramBotClient client)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private User? _me;

    public User? Current => _me;

    public async Task<User> GetAsync(CancellationToken ct)
    {
        if (_me is { } me) return me;
        await _lock.WaitAsync(ct);
        try { return _me ??= await client.GetMe(ct); }
        finally { _lock.Release(); }
    }
}
