using System.Text.Json;

namespace Moltworker.Channels.Telegram.Client.Models;

/// <summary>The Bot API envelope: <c>{"ok":true,"result":…}</c> or <c>{"ok":false,"error_code":…,"description":…,"parameters":…}</c>.</summary>
public sealed record TelegramResponse
{
    public bool Ok { get; init; }
    public JsonElement Result { get; init; }
    public int? ErrorCode { get; init; }
    public string? Description { get; init; }
    public TelegramResponseParameters? Parameters { get; init; }
}
