using System.Collections.Concurrent;
using System.Globalization;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Telegram.Replies;

/// <summary>Groups that became supergroups (migrate_to_chat_id), remembered in the key-value store.</summary>
public sealed class ChatMigrations(IKeyValueStore store)
{
    private readonly ConcurrentDictionary<long, long> _known = new();

    public async Task<long> ResolveAsync(long chatId, CancellationToken ct)
    {
        if (_known.TryGetValue(chatId, out var to)) return to;
        var stored = await store.GetAsync(Key(chatId), ct);
        to = long.TryParse(stored, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : chatId;
        _known[chatId] = to;
        return to;
    }

    public async Task RecordAsync(long from, long to, CancellationToken ct)
    {
        _known[from] = to;
        await store.SetAsync(Key(from), to.ToString(CultureInfo.InvariantCulture), ct);
    }

    private static string Key(long chatId) => "telegram:migrated:" + chatId.ToString(CultureInfo.InvariantCulture);
}
