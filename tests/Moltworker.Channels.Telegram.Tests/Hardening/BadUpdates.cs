using System.Text.Json.Nodes;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Hardening;

/// <summary>The updates that stopped the bot (issue 12): a mention entity with a negative length, and a message whose chat is null;
/// and one the Bot API library cannot read.</summary>
public static class BadUpdates
{
    public static JsonObject BadMention(TelegramBotApiServer telegram, long chatId, long userId)
    {
        var update = telegram.TextUpdate(chatId, userId, "hello @" + telegram.BotUsername, chatType: "group");
        update["message"]!["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["offset"] = 0, ["length"] = -1 });
        return update;
    }

    public static JsonObject OverflowingMention(TelegramBotApiServer telegram, long chatId, long userId)
    {
        var update = telegram.TextUpdate(chatId, userId, "hello @" + telegram.BotUsername, chatType: "group");
        update["message"]!["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["offset"] = int.MaxValue, ["length"] = int.MaxValue });
        return update;
    }

    public static JsonObject NullChat(TelegramBotApiServer telegram, long chatId, long userId)
    {
        var update = telegram.TextUpdate(chatId, userId, "hello");
        update["message"]!["chat"] = null;
        return update;
    }

    /// <summary>An update Telegram.Bot cannot read at all (entities is not an array): in a getUpdates batch read as
    /// <c>Update[]</c> it would fail the whole batch.</summary>
    public static JsonObject Unreadable(TelegramBotApiServer telegram, long chatId, long userId)
    {
        var update = telegram.TextUpdate(chatId, userId, "hello");
        update["message"]!["entities"] = "not an array";
        return update;
    }

    /// <summary>Valid JSON whose <c>date</c> lies past <see cref="DateTime.MaxValue"/>: Telegram.Bot's date converter throws
    /// ArgumentOutOfRangeException, not JsonException (found by the fuzz suite in CI).</summary>
    public static JsonObject DateOutOfRange(TelegramBotApiServer telegram, long chatId, long userId)
    {
        var update = telegram.TextUpdate(chatId, userId, "hello");
        update["message"]!["date"] = JsonNode.Parse("21474836147483648");
        return update;
    }
}
