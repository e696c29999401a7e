using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Discord.Gateway;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Channels.Discord.Tests.EndToEnd;
using Samples = Moltworker.Channels.Discord.Tests.EndToEnd.Interactions;
using Moltworker.Channels.Discord.Tests.Gateway;
using Moltworker.Kernel.Inbox;

namespace Moltworker.Channels.Discord.Tests.Hardening;

/// <summary>Issue 12: an interaction or gateway payload that cannot be read is refused once and counted; the channel goes on.</summary>
public sealed class BadPayloadTests
{
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(10, cts.Token);
    }

    [Theory]
    [InlineData("""{"id":"91","type":"2","token":"t","data":{"name":"echo"}}""")]
    [InlineData("""{"id":"92","type":2,"token":"t","member":{"user":{"id":"u1"},"roles":[7,null]},"channel_id":"c1","data":{"name":"echo","options":[{"name":"text","type":"3","value":"x"}]}}""")]
    public async Task A_signed_interaction_that_threw_before_is_answered_and_the_next_one_runs(string body)
    {
        await using var host = await DiscordHost.StartAsync();
        var response = await host.PostAsync(body);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, response.StatusCode.ToString());

        var good = Samples.Command("echo", new JsonObject { ["text"] = "good" });
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(good)).StatusCode);
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{Samples.TokenOf(good)}/messages/@original") &&
                                                  r.Content.Contains("echo: good", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_malformed_interaction_is_counted_as_rejected()
    {
        await using var host = await DiscordHost.StartAsync();
        var response = await host.PostAsync("""{"id":"93","type":"2","token":"t"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, host.Services.GetRequiredService<RejectedIntake>().Count(InteractionProcessor.InboxSource));
    }

    [Fact]
    public async Task Gateway_payloads_that_cannot_be_read_are_skipped_without_reconnecting()
    {
        await using var h = await GatewayHarness.StartAsync();
        var (c, _) = await h.NextReadyAsync(GatewayOpcodes.Identify);
        await WaitUntilAsync(() => h.Client.Status.Ready);

        await c.SendAsync(new JsonObject { ["t"] = "MESSAGE_CREATE", ["d"] = new JsonObject() });            // no op
        await c.SendAsync(new JsonObject { ["op"] = "0", ["t"] = "MESSAGE_CREATE", ["d"] = new JsonObject() }); // op not a number
        await c.SendAsync(new JsonObject { ["op"] = 0, ["s"] = 50, ["d"] = new JsonObject() });              // dispatch without t
        await c.DispatchAsync("MESSAGE_CREATE", new JsonObject { ["id"] = "after" });

        await WaitUntilAsync(() => h.Dispatches.Count == 1);
        Assert.Equal("after", h.Dispatches.Single().Data.GetProperty("id").GetString());
        Assert.Equal(3, h.Client.Status.RejectedEvents);
        Assert.Equal(1, h.Client.Status.Connections);
        Assert.True(h.Client.Status.Connected);
    }
}
