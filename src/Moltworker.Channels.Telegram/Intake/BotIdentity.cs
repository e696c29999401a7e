using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Client.Models;

namespace Moltworker.Channels.Telegram.Intake;

/// <summary>The bot's own user (from getMe), fetched once and cached; a failed fetch is retried on the next call.</summary>
public sealed class BotIdentity(TelegramBotClient client)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private TelegramUser? _me;

    public TelegramUser? Current => _me;

    public async Task<TelegramUser> GetAsync(CancellationToken ct)
    {
        if (_me is { } me) return me;
        await _lock.WaitAsync(ct);
        try { return _me ??= await client.GetMeAsync(ct); }
        finally { _lock.Release(); }
    }
}
