using System.Text.Json.Nodes;
using Moltworker.Channels.Discord.Gateway;
using Moltworker.Channels.Discord.Tests.Support;

namespace Moltworker.Channels.Discord.Tests.EndToEnd;

/// <summary>The Gateway transport: INTERACTION_CREATE takes the same path as the HTTP endpoint.</summary>
public sealed class GatewayTransportTests
{
    [Fact]
    public async Task Interaction_create_is_deferred_by_callback_then_answered_and_the_token_is_never_logged()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await DiscordHost.StartAsync(new() { ["Moltworker:Discord:Transport"] = "Gateway" }, logs: logs);
        var connection = await host.Discord.Gateway.NextConnectionAsync();
        var identify = await connection.NextAsync(GatewayOpcodes.Identify);
        Assert.Equal(RestHarness.BotToken, identify["d"]!["token"]!.GetValue<string>());

        var interaction = Interactions.Command("echo", new JsonObject { ["text"] = "via gateway" });
        await connection.DispatchAsync("INTERACTION_CREATE", interaction);

        var callback = await host.Discord.Rest.WaitForAsync("POST", $"interactions/{interaction["id"]}/{Interactions.TokenOf(interaction)}/callback");
        Assert.Equal(5, callback.Json!["type"]!.GetValue<int>());
        var edit = await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{Interactions.TokenOf(interaction)}/messages/@original") &&
                                                             r.Content.Contains("echo: via gateway", StringComparison.Ordinal));
        Assert.True(edit.Index > callback.Index);

        // The HTTP endpoint is not mapped for the gateway transport.
        var response = await host.PostAsync(Interactions.Ping());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);

        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(RestHarness.BotToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Autocomplete_and_refusals_over_the_gateway_are_answered_by_callback()
    {
        await using var host = await DiscordHost.StartAsync(new()
        {
            ["Moltworker:Discord:Transport"] = "Gateway",
            ["Moltworker:Discord:AllowedUserIds:0"] = "someone-else",
        });
        var connection = await host.Discord.Gateway.NextConnectionAsync();
        await connection.NextAsync(GatewayOpcodes.Identify);
        var interaction = Interactions.Command("echo", new JsonObject { ["text"] = "x" });
        await connection.DispatchAsync("INTERACTION_CREATE", interaction);
        var callback = await host.Discord.Rest.WaitForAsync("POST", $"interactions/{interaction["id"]}/");
        Assert.Equal(4, callback.Json!["type"]!.GetValue<int>());
        Assert.Equal(64, callback.Json!["data"]!["flags"]!.GetValue<int>());
    }
}
