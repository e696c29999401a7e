using System.Text.Json.Nodes;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>Interaction callback bodies (types 1 PONG, 4 message, 5 deferred, 7 update of a component's message,
/// 8 autocomplete result).</summary>
public static class InteractionResponses
{
    public const int EphemeralFlag = 64;

    public static JsonObject Pong() => new() { ["type"] = 1 };

    public static JsonObject Deferred() => new() { ["type"] = 5 };

    public static JsonObject Message(string content, bool ephemeral) => new()
    {
        ["type"] = 4,
        ["data"] = MessageBody(content, ephemeral),
    };

    /// <summary>Type 7 (UPDATE_MESSAGE): replaces the content of the message whose component was pressed and its
    /// components (none: the buttons go away).</summary>
    public static JsonObject UpdateMessage(string content, JsonArray? components = null)
    {
        var data = MessageBody(content, ephemeral: false);
        data["components"] = components ?? [];
        return new JsonObject { ["type"] = 7, ["data"] = data };
    }

    public static JsonObject Autocomplete(IEnumerable<string> choices) => new()
    {
        ["type"] = 8,
        ["data"] = new JsonObject
        {
            ["choices"] = new JsonArray(choices.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = Commands.CommandText.Trim(c, 100),
                ["value"] = Commands.CommandText.Trim(c, 100),
            }).ToArray()),
        },
    };

    /// <summary>A message body; mentions are never parsed (no @everyone from a model's answer).</summary>
    public static JsonObject MessageBody(string content, bool ephemeral)
    {
        var o = new JsonObject
        {
            ["content"] = content,
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        };
        if (ephemeral) o["flags"] = EphemeralFlag;
        return o;
    }
}
