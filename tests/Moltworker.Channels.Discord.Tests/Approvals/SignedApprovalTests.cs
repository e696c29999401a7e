using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Moltworker.Channels.Discord.Approvals;
using Moltworker.Channels.Discord.Tests.EndToEnd;
using DiscordInteractions = Moltworker.Channels.Discord.Tests.EndToEnd.Interactions;
using Moltworker.Channels.Discord.Tests.Support;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Channels.Discord.Tests.Approvals;

/// <summary>Issue 14 over the signed interactions endpoint: a call needing approval posts a message with buttons in the
/// chat where the task started; a forged press gets 401, another user's press is refused ephemerally, and neither runs
/// anything; the requester's Approve runs the call exactly once and updates the message (type 7); the same signed
/// interaction replayed changes nothing.</summary>
public sealed class SignedApprovalTests : IAsyncLifetime
{
    private FakeOpenAIServer _model = null!;

    public async Task InitializeAsync() => _model = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _model.DisposeAsync();

    [Fact]
    public async Task Only_the_requesters_signed_press_runs_the_call_once_and_a_replay_changes_nothing()
    {
        const string note = "dc-signed-once";
        _model.Enqueue(ApprovalFixture.Note(note) with { Text = "I will send it." }, ScriptedReply.Answer("Sent the note."));
        await using var host = await ApprovalFixture.StartAsync(_model);
        var ask = DiscordInteractions.Command("ask", new JsonObject { ["prompt"] = "send the note" }, user: "u1", channel: "c41");
        Assert.Equal(5, (await DiscordHost.JsonAsync(await host.PostAsync(ask)))["type"]!.GetValue<int>());

        var prompt = await ApprovalFixture.PromptAsync(host.Discord, "c41");
        Assert.Contains("send_note", prompt.Content, StringComparison.Ordinal);
        Assert.Contains("I will send it.", prompt.Content, StringComparison.Ordinal);
        var labels = prompt.Json!["components"]![0]!["components"]!.AsArray().Select(b => b!["label"]!.GetValue<string>());
        Assert.Equal(["Approve", "Deny", "Always in this chat"], labels);
        var id = ApprovalFixture.IdOf(prompt);
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{DiscordInteractions.TokenOf(ask)}/messages/@original") &&
                                                  r.Content.Contains("approval", StringComparison.Ordinal));

        // Forged: signed with another key. 401, and nothing is decided.
        var forged = DiscordInteractions.Component(ApprovalButtons.CustomId(id, ApprovalChoice.Approve), user: "u1", channel: "c41");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.PostAsync(forged.ToJsonString(), signer: new TestSigner())).StatusCode);

        // Another user of the channel: a short ephemeral refusal.
        var stranger = await DiscordHost.JsonAsync(await host.PostAsync(
            DiscordInteractions.Component(ApprovalButtons.CustomId(id, ApprovalChoice.Approve), user: "u2", channel: "c41")));
        Assert.Equal(4, stranger["type"]!.GetValue<int>());
        Assert.Equal(64, stranger["data"]!["flags"]!.GetValue<int>());
        Assert.Equal(ApprovalComponentHandler.NotForYou, stranger["data"]!["content"]!.GetValue<string>());
        Assert.Equal(0, NotesPlugin.RunsOf(note));
        Assert.Equal(1, _model.RequestCount);

        // The requester: the message is updated to the outcome (buttons removed), the call runs once, the answer is posted.
        var press = DiscordInteractions.Component(ApprovalButtons.CustomId(id, ApprovalChoice.Approve), user: "u1", channel: "c41").ToJsonString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = host.Signer.Sign(timestamp, press);
        var taken = await DiscordHost.JsonAsync(await host.PostAsync(press, signature, timestamp));
        Assert.Equal(7, taken["type"]!.GetValue<int>());
        Assert.Equal("send_note: approved by discord:u1.", taken["data"]!["content"]!.GetValue<string>());
        Assert.Empty(taken["data"]!["components"]!.AsArray());
        await ApprovalFixture.PostedAsync(host.Discord, "c41", "Sent the note.");
        Assert.Equal(1, NotesPlugin.RunsOf(note));

        // The same signed interaction again (same id, timestamp and signature): refused, nothing runs again.
        var replay = await DiscordHost.JsonAsync(await host.PostAsync(press, signature, timestamp));
        Assert.Equal(4, replay["type"]!.GetValue<int>());
        Assert.Equal(64, replay["data"]!["flags"]!.GetValue<int>());
        Assert.StartsWith("Already answered: approved by discord:u1", replay["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, NotesPlugin.RunsOf(note));
        Assert.Equal(2, _model.RequestCount);
        Assert.Single(host.Discord.Rest.Where("POST", "channels/c41/messages"), r => r.Content == "Sent the note.");
    }

    [Fact]
    public async Task A_button_of_a_request_pressed_in_another_chat_does_nothing()
    {
        const string note = "dc-other-chat";
        _model.Enqueue(ApprovalFixture.Note(note), ScriptedReply.Answer("Sent."));
        await using var host = await ApprovalFixture.StartAsync(_model);
        await host.PostAsync(DiscordInteractions.Command("ask", new JsonObject { ["prompt"] = "send it" }, user: "u1", channel: "c42"));
        var id = ApprovalFixture.IdOf(await ApprovalFixture.PromptAsync(host.Discord, "c42"));

        // The requester, but in another channel (a custom_id copied there): not this chat's request.
        var elsewhere = await DiscordHost.JsonAsync(await host.PostAsync(
            DiscordInteractions.Component(ApprovalButtons.CustomId(id, ApprovalChoice.Approve), user: "u1", channel: "c99")));
        Assert.Equal(64, elsewhere["data"]!["flags"]!.GetValue<int>());
        Assert.Equal("This request is not known here.", elsewhere["data"]!["content"]!.GetValue<string>());

        // A made-up id, and a custom_id that is not an approval button.
        var unknown = await DiscordHost.JsonAsync(await host.PostAsync(
            DiscordInteractions.Component(ApprovalButtons.CustomId("00ff00ff00ff00ff", ApprovalChoice.Approve), user: "u1", channel: "c42")));
        Assert.Equal("This request is not known here.", unknown["data"]!["content"]!.GetValue<string>());
        var other = await DiscordHost.JsonAsync(await host.PostAsync(DiscordInteractions.Component($"apv:{id}:x", user: "u1", channel: "c42")));
        Assert.Equal("This button does nothing here.", other["data"]!["content"]!.GetValue<string>());

        Assert.Equal(0, NotesPlugin.RunsOf(note));
        Assert.Equal(1, _model.RequestCount);
    }

    [Fact]
    public async Task Always_in_this_chat_lets_the_tool_run_without_asking_until_approvals_reset()
    {
        _model.Enqueue(ApprovalFixture.Note("dc-always-1"), ScriptedReply.Answer("First sent."),
            ApprovalFixture.Note("dc-always-2"), ScriptedReply.Answer("Second sent."),
            ApprovalFixture.Note("dc-always-3"), ScriptedReply.Answer("unused"));
        await using var host = await ApprovalFixture.StartAsync(_model);
        await host.PostAsync(DiscordInteractions.Command("ask", new JsonObject { ["prompt"] = "send one" }, user: "u1", channel: "c43"));
        var id = ApprovalFixture.IdOf(await ApprovalFixture.PromptAsync(host.Discord, "c43"));
        var taken = await DiscordHost.JsonAsync(await host.PostAsync(
            DiscordInteractions.Component(ApprovalButtons.CustomId(id, ApprovalChoice.Always), user: "u1", channel: "c43")));
        Assert.Contains("always in this chat", taken["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        await ApprovalFixture.PostedAsync(host.Discord, "c43", "First sent.");

        var second = DiscordInteractions.Command("ask", new JsonObject { ["prompt"] = "send another" }, user: "u1", channel: "c43");
        await host.PostAsync(second);
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{DiscordInteractions.TokenOf(second)}/messages/@original") && r.Content == "Second sent.");
        Assert.Equal(1, NotesPlugin.RunsOf("dc-always-2"));

        var reset = DiscordInteractions.Command("approvals", new JsonObject { ["arguments"] = "reset" }, user: "u1", channel: "c43");
        await host.PostAsync(reset);
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{DiscordInteractions.TokenOf(reset)}/messages/@original") &&
                                                  r.Content.Contains("will ask again", StringComparison.Ordinal));
        await host.PostAsync(DiscordInteractions.Command("ask", new JsonObject { ["prompt"] = "and a third" }, user: "u1", channel: "c43"));
        await ApprovalFixture.PromptAsync(host.Discord, "c43", count: 2);
        Assert.Equal(0, NotesPlugin.RunsOf("dc-always-3"));
    }
}
