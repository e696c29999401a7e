using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram.Intake;

/// <summary>
/// Checks the parts of an update the router relies on, so that a malformed update is refused with a reason instead
/// of throwing: a message needs a chat, and every entity must lie inside the text.
/// </summary>
public static class UpdateShape
{
    /// <summary>Why <paramref name="update"/> cannot be routed; null when it can.</summary>
    public static string? Problem(Update update)
    {
        var message = update.Message;
        if (message is null) return null;
        if (message.Chat is null) return "the message has no chat";
        var text = message.Text ?? message.Caption ?? "";
        foreach (var entity in message.Entities ?? [])
        {
            if (entity is null) return "an entity is null";
            if (!Inside(entity.Offset, entity.Length, text.Length))
                return $"the {EntityName(entity)} entity at offset {entity.Offset} with length {entity.Length} lies outside the text ({text.Length} UTF-16 units)";
        }
        return null;
    }

    /// <summary>The entity's type as Telegram writes it ("mention"), or "unknown" for a type the library does not know.</summary>
    private static string EntityName(MessageEntity entity) =>
        entity.Type == 0 ? "unknown" : System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(entity.Type.ToString());

    /// <summary>True when [offset, offset + length) is a range of a text of <paramref name="textLength"/> units (no overflow).</summary>
    public static bool Inside(int offset, int length, int textLength) =>
        offset >= 0 && length >= 0 && offset <= textLength && length <= textLength - offset;
}
