using System.Text.Json.Nodes;
using CsCheck;
using Moltworker.Channels.Discord.Gateway;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Fuzz.Tests.Support;
using Xunit.Abstractions;

namespace Moltworker.Fuzz.Tests.Suites;

/// <summary>Discord interactions (<see cref="Interaction.TryParse(string, out Interaction?, out string?)"/>) and gateway payloads
/// (<see cref="GatewayFrame.TryParse"/>): never throw; false always comes with a reason.</summary>
public sealed class DiscordFuzzTests(ITestOutputHelper output)
{
    private const string Command = """{"id":"1","type":2,"token":"t","guild_id":"9","channel_id":"8","member":{"user":{"id":"5"},"roles":["1","2"]},"data":{"name":"ask","options":[{"name":"prompt","type":3,"value":"hi","focused":false}]}}""";
    private const string Ping = """{"id":"2","type":1}""";
    private const string Dm = """{"id":"3","type":4,"token":"t","user":{"id":"5"},"channel":{"id":"8"},"data":{"name":"ask","options":[{"name":"prompt","type":3,"value":"h","focused":true}]}}""";
    private const string Dispatch = """{"op":0,"s":42,"t":"INTERACTION_CREATE","d":{"id":"1","type":2,"token":"t"}}""";
    private const string Hello = """{"op":10,"d":{"heartbeat_interval":41250}}""";
    private const string InvalidSession = """{"op":9,"d":false}""";

    private static readonly Gen<JsonNode?> Value = Gen.OneOf<JsonNode?>(
        Gen.Const((JsonNode?)null), Gen.Int.Select(i => (JsonNode?)i), Gen.Bool.Select(b => (JsonNode?)b),
        TextGen.Text(6).Select(s => (JsonNode?)s), Gen.Const(() => (JsonNode?)new JsonArray()), Gen.Const(() => (JsonNode?)new JsonObject()));

    private static readonly Gen<string> Structured =
        from id in Value
        from type in Gen.OneOf<JsonNode?>(Gen.Int[0, 6].Select(i => (JsonNode?)i), Value)
        from token in Value
        from user in Gen.OneOf<JsonNode?>(Value, Value.Select(v => (JsonNode?)new JsonObject { ["id"] = v }))
        from roles in Value.Array[0, 3]
        from name in Value
        from options in Gen.Select(Value, Value, Value, (n, t, v) => (JsonNode?)new JsonObject { ["name"] = n, ["type"] = t, ["value"] = v }).Array[0, 3]
        select new JsonObject
        {
            ["id"] = id, ["type"] = type, ["token"] = token,
            ["member"] = new JsonObject { ["user"] = user, ["roles"] = new JsonArray(roles) },
            ["data"] = new JsonObject { ["name"] = name, ["options"] = new JsonArray(options) },
        }.ToJsonString();

    internal static void Interaction_handled_or_refused(string json)
    {
        if (!Interaction.TryParse(json, out var interaction, out var error)) Refusal.AssertReason(error);
        else Assert.NotNull(interaction.Id);
    }

    internal static void Frame_handled_or_refused(string text)
    {
        if (!GatewayFrame.TryParse(text, out var frame, out var error)) { Refusal.AssertReason(error); return; }
        using (frame) if (frame.Op == GatewayOpcodes.Dispatch) Assert.NotNull(frame.EventName);
    }

    [Fact]
    public void Generated_interactions_are_read_or_refused() =>
        Fuzzing.Run("discord-interaction (generated)", Structured, Interaction_handled_or_refused, output);

    [Fact]
    public void Mutated_interactions_are_read_or_refused() =>
        Fuzzing.Run("discord-interaction (mutated)", JsonMutator.Mutants(Command, Ping, Dm), Interaction_handled_or_refused, output);

    [Fact]
    public void Mutated_gateway_payloads_are_read_or_refused() =>
        Fuzzing.Run("discord-gateway-payload (mutated)", JsonMutator.Mutants(Dispatch, Hello, InvalidSession), Frame_handled_or_refused, output);
}
