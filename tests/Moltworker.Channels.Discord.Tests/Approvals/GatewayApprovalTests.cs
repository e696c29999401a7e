using System.Text.Json.Nodes;
using Moltworker.Channels.Discord.Approvals;
using Moltworker.Channels.Discord.Gateway;
using Moltworker.Channels.Discord.Tests.EndToEnd;
using DiscordInteractions = Moltworker.Channels.Discord.Tests.EndToEnd.Interactions;
using Moltworker.Testing.Discord;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Channels.Discord.Tests.Approvals;

/// <summary>The same over the gateway: presses arrive as INTERACTION_CREATE and are answered with the interaction
/// callback. Another user is refused; a configured admin may answer; a replayed dispatch changes nothing.</summary>
public sealed class GatewayApprovalTests : IAsyncLifetime
{
    private FakeOpenAIServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    private static async Task<JsonObject> CallbackAsync(FakeDiscordServer discord, JsonObject interaction) =>
        (JsonObject)(await discord.Rest.WaitForAsync("POST", $"interactions/{interaction["id"]}/{DiscordInteractions.TokenOf(interaction)}/callback")).Json!;

    [Fact]
    public async Task Presses_over_the_gateway_are_checked_and_taken_once()
    {
        const string note = "dc-gateway";
        _model.Enqueue(ApprovalFixture.Note(note), ScriptedReply.Answer("Not sent, as you wished."));
        await using var host = await ApprovalFixture.StartAsync(_model, new()
        {
            ["Moltworker:Discord:Transport"] = "Gateway",
            ["Moltworker:Approvals:Admins:0"] = "discord:admin7",
        });
        var connection = await host.Discord.Gateway.NextConnectionAsync();
        await connection.NextAsync(GatewayOpcodes.Identify);
        await connection.DispatchAsync("INTERACTION_CREATE", DiscordInteractions.Command("ask", new JsonObject { ["prompt"] = "send it" }, user: "u1", channel: "c51"));
        var id = ApprovalFixture.IdOf(await ApprovalFixture.PromptAsync(host.Discord, "c51"));

        var stranger = DiscordInteractions.Component(ApprovalButtons.CustomId(id, ApprovalChoice.Approve), user: "u2", channel: "c51");
        await connection.DispatchAsync("INTERACTION_CREATE", stranger);
        var refused = await CallbackAsync(host.Discord, stranger);
        Assert.Equal(4, refused["type"]!.GetValue<int>());
        Assert.Equal(64, refused["data"]!["flags"]!.GetValue<int>());
        Assert.Equal(ApprovalComponentHandler.NotForYou, refused["data"]!["content"]!.GetValue<string>());
        Assert.Equal(1, _model.RequestCount);

        // An admin of the channel may answer someone else's request; here they deny it.
        var admin = DiscordInteractions.Component(ApprovalButtons.CustomId(id, ApprovalChoice.Deny), user: "admin7", channel: "c51");
        await connection.DispatchAsync("INTERACTION_CREATE", admin);
        var denied = await CallbackAsync(host.Discord, admin);
        Assert.Equal(7, denied["type"]!.GetValue<int>());
        Assert.Equal("send_note: denied by discord:admin7.", denied["data"]!["content"]!.GetValue<string>());
        await ApprovalFixture.PostedAsync(host.Discord, "c51", "Not sent, as you wished.");
        var toolResult = _model.Requests[^1].Messages.Single(m => m.Role == "tool");
        Assert.StartsWith("Denied: discord:admin7 denied this send_note call", toolResult.Content, StringComparison.Ordinal);

        // The requester's Approve after the denial, then the same dispatch again: both refused, nothing runs.
        var late = DiscordInteractions.Component(ApprovalButtons.CustomId(id, ApprovalChoice.Approve), user: "u1", channel: "c51");
        await connection.DispatchAsync("INTERACTION_CREATE", late.DeepClone());
        Assert.StartsWith("Already answered: denied by discord:admin7", (await CallbackAsync(host.Discord, late))["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        await connection.DispatchAsync("INTERACTION_CREATE", late.DeepClone()); // the same dispatch again
        var lateCallbacks = $"interactions/{late["id"]}/";
        await host.Discord.Rest.WaitForAsync(_ => host.Discord.Rest.Where("POST", lateCallbacks).Count == 2);
        var again = (JsonObject)host.Discord.Rest.Where("POST", lateCallbacks)[1].Json!;
        Assert.Equal(64, again["data"]!["flags"]!.GetValue<int>());

        Assert.Equal(0, NotesPlugin.RunsOf(note));
        Assert.Equal(2, _model.RequestCount);
    }

    [Fact]
    public async Task The_requesters_press_over_the_gateway_runs_the_call_once()
    {
        const string note = "dc-gateway-approve";
        _model.Enqueue(ApprovalFixture.Note(note), ScriptedReply.Answer("Sent over the gateway."));
        await using var host = await ApprovalFixture.StartAsync(_model, new() { ["Moltworker:Discord:Transport"] = "Gateway" });
        var connection = await host.Discord.Gateway.NextConnectionAsync();
        await connection.NextAsync(GatewayOpcodes.Identify);
        await connection.DispatchAsync("INTERACTION_CREATE", DiscordInteractions.Command("ask", new JsonObject { ["prompt"] = "send it" }, user: "u1", channel: "c52"));
        var id = ApprovalFixture.IdOf(await ApprovalFixture.PromptAsync(host.Discord, "c52"));

        var press = DiscordInteractions.Component(ApprovalButtons.CustomId(id, ApprovalChoice.Approve), user: "u1", channel: "c52");
        await connection.DispatchAsync("INTERACTION_CREATE", press);
        var taken = await CallbackAsync(host.Discord, press);
        Assert.Equal(7, taken["type"]!.GetValue<int>());
        Assert.Equal("send_note: approved by discord:u1.", taken["data"]!["content"]!.GetValue<string>());
        await ApprovalFixture.PostedAsync(host.Discord, "c52", "Sent over the gateway.");
        Assert.Equal(1, NotesPlugin.RunsOf(note));
    }
}
