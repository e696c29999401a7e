using System.Text.Json.Nodes;

namespace Moltworker.Channels.Discord.Tests.EndToEnd;

/// <summary>AllowedGuildIds, AllowedUserIds, AllowedRoleIds and the per-user rate limit: refused commands are
/// answered at once, ephemerally, and never run.</summary>
public sealed class AccessTests
{
    private static async Task<JsonObject> AnswerAsync(DiscordHost host, JsonObject interaction) =>
        await DiscordHost.JsonAsync(await host.PostAsync(interaction));

    private static void AssertRefused(JsonObject answer, string text)
    {
        Assert.Equal(4, answer["type"]!.GetValue<int>());
        Assert.Equal(64, answer["data"]!["flags"]!.GetValue<int>());
        Assert.Contains(text, answer["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>Runs a permitted command and waits for it; anything refused before it would have been queued ahead of it.</summary>
    private static async Task BarrierAsync(DiscordHost host, JsonObject allowed)
    {
        Assert.Equal(5, (await AnswerAsync(host, allowed))["type"]!.GetValue<int>());
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{allowed["token"]}/messages/@original") && r.Content.StartsWith("echo:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Guilds_outside_AllowedGuildIds_and_DMs_are_refused()
    {
        await using var host = await DiscordHost.StartAsync(new() { ["Moltworker:Discord:AllowedGuildIds:0"] = "g-ok" });
        AssertRefused(await AnswerAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "x" }, guild: "g-other")), "not allowed");
        AssertRefused(await AnswerAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "dm" }, guild: null)), "not allowed");
        await BarrierAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "ok" }, guild: "g-ok"));
        Assert.Equal(["echo:ok"], host.Gate.Log);
    }

    [Fact]
    public async Task Users_must_be_listed_or_hold_a_listed_role()
    {
        await using var host = await DiscordHost.StartAsync(new()
        {
            ["Moltworker:Discord:AllowedUserIds:0"] = "alice",
            ["Moltworker:Discord:AllowedRoleIds:0"] = "r-admin",
        });
        AssertRefused(await AnswerAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "mallory" }, user: "mallory", roles: ["r-guest"])), "not allowed");
        await BarrierAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "alice" }, user: "alice"));
        await BarrierAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "bob" }, user: "bob", roles: ["r-guest", "r-admin"]));
        Assert.Equal(["echo:alice", "echo:bob"], host.Gate.Log);
    }

    [Fact]
    public async Task A_user_over_the_rate_limit_is_told_to_slow_down_and_others_are_not_affected()
    {
        await using var host = await DiscordHost.StartAsync(new()
        {
            ["Moltworker:Discord:UserRateLimit"] = "2",
            ["Moltworker:Discord:UserRateWindowSeconds"] = "3600",
        });
        await BarrierAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "1" }, user: "eager"));
        await BarrierAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "2" }, user: "eager"));
        AssertRefused(await AnswerAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "3" }, user: "eager")), "Slow down");
        await BarrierAsync(host, Interactions.Command("echo", new JsonObject { ["text"] = "calm" }, user: "calm"));
        Assert.Equal(["echo:1", "echo:2", "echo:calm"], host.Gate.Log);
    }

    [Fact]
    public async Task Unknown_commands_are_answered_ephemerally()
    {
        await using var host = await DiscordHost.StartAsync();
        AssertRefused(await AnswerAsync(host, Interactions.Command("nope")), "Unknown command");
    }
}
