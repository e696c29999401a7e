using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Moltworker.Channels.Telegram.Commands;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Fuzz.Tests.Support;
using Moltworker.Kernel.Commands;
using Telegram.Bot;
using Telegram.Bot.Types;
using Xunit.Abstractions;

namespace Moltworker.Fuzz.Tests.Suites;

/// <summary>Telegram updates and their entities, as the intake reads them: JSON to Telegram.Bot's <see cref="Update"/> (read with <see cref="JsonBotAPI.Options"/>),
/// <see cref="UpdateShape"/>, then <see cref="UpdateRouter"/>. Refusals: <see cref="UpdateJson"/>'s reason, or a shape problem.</summary>
public sealed class TelegramUpdateFuzzTests(ITestOutputHelper output)
{
    internal static readonly User Me = new() { Id = 99, IsBot = true, FirstName = "Molt", Username = "molt_bot" };
    internal static readonly CommandMap Commands = new([new ChatCommand("help", "Help"), new ChatCommand("Web.Fetch", "Fetch")]);

    private static readonly Gen<JsonObject?> Entity =
        from type in Gen.OneOf<string>("mention", "text_mention", "bot_command", "bold", "url", "")
        from offset in Gen.OneOf<int>(Gen.Int[-3, 40], Gen.OneOf<int>(int.MinValue, int.MaxValue, int.MaxValue - 1))
        from length in Gen.OneOf<int>(Gen.Int[-3, 40], Gen.OneOf<int>(int.MinValue, int.MaxValue))
        from isNull in Gen.Int[0, 20]
        select isNull == 0 ? null : new JsonObject { ["type"] = type, ["offset"] = offset, ["length"] = length, ["user"] = new JsonObject { ["id"] = 99 } };

    private static readonly Gen<string> Structured =
        from text in TextGen.Text(30)
        from chatType in Gen.OneOf<string>("private", "group", "supergroup", "channel", "")
        from chatNull in Gen.Int[0, 8]
        from fromNull in Gen.Int[0, 8]
        from entities in Entity.Array[0, 4]
        from replyToBot in Gen.Bool
        from thread in Gen.OneOf<long?>(Gen.Const((long?)null), Gen.Long[-5, 5].Select(l => (long?)l))
        from migrate in Gen.Int[0, 20]
        select new JsonObject
        {
            ["update_id"] = 1,
            ["message"] = new JsonObject
            {
                ["message_id"] = 10,
                ["message_thread_id"] = thread,
                ["is_topic_message"] = thread is not null,
                ["chat"] = chatNull == 0 ? null : new JsonObject { ["id"] = -5, ["type"] = chatType },
                ["from"] = fromNull == 0 ? null : new JsonObject { ["id"] = 5, ["is_bot"] = false, ["first_name"] = "U" },
                ["text"] = text,
                ["entities"] = new JsonArray([.. entities]),
                ["reply_to_message"] = replyToBot ? new JsonObject { ["message_id"] = 3, ["chat"] = new JsonObject { ["id"] = -5 }, ["from"] = new JsonObject { ["id"] = 99, ["is_bot"] = true, ["first_name"] = "M" } } : null,
                ["migrate_to_chat_id"] = migrate == 0 ? (JsonNode?)(-100) : null,
            },
        }.ToJsonString();

    private const string Valid = """{"update_id":7,"message":{"message_id":1,"from":{"id":5,"is_bot":false,"first_name":"U"},"chat":{"id":-5,"type":"group"},"date":1,"text":"hello @molt_bot /help@molt_bot","entities":[{"type":"mention","offset":6,"length":9},{"type":"bot_command","offset":16,"length":14}]}}""";

    /// <summary>The property, shared with the saved regression cases.</summary>
    internal static void HandledOrRefused(string json)
    {
        if (!UpdateJson.TryRead(json, out var update, out var unreadable)) { Refusal.AssertReason(unreadable!); return; }
        if (update is null) return;
        if (UpdateShape.Problem(update) is { } problem) { Refusal.AssertReason(problem); return; }
        var routed = UpdateRouter.Route(update, Me, Commands);
        if (routed is not null) Assert.NotNull(routed.Text);
    }

    [Fact]
    public void Generated_updates_are_routed_or_refused() =>
        Fuzzing.Run("telegram-update (generated)", Structured, HandledOrRefused, output);

    [Fact]
    public void Mutated_updates_are_routed_or_refused() =>
        Fuzzing.Run("telegram-update (mutated)", JsonMutator.Mutants(Valid), HandledOrRefused, output);
}
