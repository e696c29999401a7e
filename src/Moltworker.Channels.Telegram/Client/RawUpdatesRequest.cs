using System.Text.Json;
using Telegram.Bot.Requests;
using Telegram.Bot.Types.Enums;

namespace Moltworker.Channels.Telegram.Client;

/// <summary>
/// getUpdates sent through Telegram.Bot but answered as raw JSON, one element per update. The library's own
/// <c>GetUpdates</c> reads the whole batch into <c>Update[]</c> and fails the batch when one update in it cannot be
/// read; the poller instead hands each element to the intake, which reads it with <c>JsonBotAPI.Options</c> and refuses
/// only the bad one (pinned by <c>TelegramBotClientTests</c>).
/// </summary>
public sealed class RawUpdatesRequest() : RequestBase<JsonElement[]>("getUpdates")
{
    /// <summary>The first update id wanted; confirms (drops) every update below it.</summary>
    public int? Offset { get; set; }

    /// <summary>1-100.</summary>
    public int? Limit { get; set; }

    /// <summary>Long-poll timeout in seconds.</summary>
    public int? Timeout { get; set; }

    public IEnumerable<UpdateType>? AllowedUpdates { get; set; }
}
