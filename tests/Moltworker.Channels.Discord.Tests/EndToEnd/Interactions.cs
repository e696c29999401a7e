using System.Text.Json.Nodes;

namespace Moltworker.Channels.Discord.Tests.EndToEnd;

/// <summary>Interaction payloads as Discord sends them.</summary>
public static class Interactions
{
    private static long _ids = 900_000;

    public static string NewId() => Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Ping() => new() { ["id"] = NewId(), ["application_id"] = "4242", ["type"] = 1, ["token"] = "ping-token", ["version"] = 1 };

    public static JsonObject Command(string name, JsonObject? options = null, string user = "u1", string channel = "c1",
        string? guild = "g1", string[]? roles = null, int type = 2, string? id = null, string? focused = null)
    {
        id ??= NewId();
        var opts = new JsonArray();
        foreach (var (k, v) in options ?? [])
        {
            var o = new JsonObject { ["name"] = k, ["type"] = v!.GetValueKind() switch
            {
                System.Text.Json.JsonValueKind.Number => 4,
                System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => 5,
                _ => 3,
            }, ["value"] = v.DeepClone() };
            if (k == focused) o["focused"] = true;
            opts.Add(o);
        }
        var interaction = new JsonObject
        {
            ["id"] = id,
            ["application_id"] = "4242",
            ["type"] = type,
            ["token"] = $"token-{id}",
            ["version"] = 1,
            ["channel_id"] = channel,
            ["data"] = new JsonObject { ["id"] = "cmd", ["name"] = name, ["type"] = 1, ["options"] = opts },
        };
        var user1 = new JsonObject { ["id"] = user, ["username"] = "someone" };
        if (guild is null) interaction["user"] = user1;
        else
        {
            interaction["guild_id"] = guild;
            interaction["member"] = new JsonObject
            {
                ["user"] = user1,
                ["roles"] = new JsonArray((roles ?? []).Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
            };
        }
        return interaction;
    }

    public static string TokenOf(JsonObject interaction) => interaction["token"]!.GetValue<string>();

    /// <summary>A button press (type 3, MESSAGE_COMPONENT) on message <paramref name="messageId"/>.</summary>
    public static JsonObject Component(string customId, string user = "u1", string channel = "c1", string? guild = "g1", string messageId = "m1")
    {
        var id = NewId();
        var interaction = new JsonObject
        {
            ["id"] = id,
            ["application_id"] = "4242",
            ["type"] = 3,
            ["token"] = $"token-{id}",
            ["version"] = 1,
            ["channel_id"] = channel,
            ["message"] = new JsonObject { ["id"] = messageId, ["channel_id"] = channel },
            ["data"] = new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 },
        };
        var who = new JsonObject { ["id"] = user, ["username"] = "someone" };
        if (guild is null) interaction["user"] = who;
        else
        {
            interaction["guild_id"] = guild;
            interaction["member"] = new JsonObject { ["user"] = who, ["roles"] = new JsonArray() };
        }
        return interaction;
    }
}
