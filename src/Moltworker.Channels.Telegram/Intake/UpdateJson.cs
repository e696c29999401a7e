using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram.Intake;

/// <summary>
/// Reads a Telegram update with Telegram.Bot's own options, and turns every way that reading can fail into a reason.
/// Besides <see cref="JsonException"/>, Telegram.Bot's converters throw other exceptions for values that are valid JSON
/// but not a valid update: a <c>date</c> beyond <see cref="DateTime.MaxValue"/> throws <see cref="ArgumentOutOfRangeException"/>
/// (found by the fuzz suite). One bad update must never stop the channel, so all of them are refusals here.
/// </summary>
public static class UpdateJson
{
    public static bool TryRead(JsonElement raw, out Update? update, out string? problem) =>
        TryRead(() => raw.Deserialize<Update>(JsonBotAPI.Options), out update, out problem);

    public static bool TryRead(string json, out Update? update, out string? problem) =>
        TryRead(() => JsonSerializer.Deserialize<Update>(json, JsonBotAPI.Options), out update, out problem);

    private static bool TryRead(Func<Update?> read, out Update? update, out string? problem)
    {
        try
        {
            update = read();
            problem = null;
            return true;
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            update = null;
            problem = ex.Message;
            return false;
        }
    }

    private static bool IsUnreadable(Exception ex) =>
        ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException;
}
