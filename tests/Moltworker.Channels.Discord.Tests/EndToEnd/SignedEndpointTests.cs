using System.Net;
using System.Text.Json.Nodes;
using Moltworker.Channels.Discord.Tests.Support;

namespace Moltworker.Channels.Discord.Tests.EndToEnd;

/// <summary>Signed interactions through real HTTP: what is refused, and that nothing of a refused request runs.</summary>
public sealed class SignedEndpointTests
{
    public enum Tamper { Body, WrongKey, OldTimestamp, MissingSignature, MissingTimestamp }

    [Fact]
    public async Task Ping_is_answered_with_pong()
    {
        await using var host = await DiscordHost.StartAsync();
        var response = await host.PostAsync(Interactions.Ping());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await DiscordHost.JsonAsync(response))["type"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(Tamper.Body)]
    [InlineData(Tamper.WrongKey)]
    [InlineData(Tamper.OldTimestamp)]
    [InlineData(Tamper.MissingSignature)]
    [InlineData(Tamper.MissingTimestamp)]
    public async Task Refused_requests_get_401_and_nothing_runs(Tamper tamper)
    {
        await using var host = await DiscordHost.StartAsync();
        var evil = Interactions.Command("echo", new JsonObject { ["text"] = "evil" });
        var body = evil.ToJsonString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var ts = now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = tamper switch
        {
            Tamper.Body => await host.PostAsync(body.Replace("evil", "EVIL", StringComparison.Ordinal), signature: host.Signer.Sign(ts, body), timestamp: ts),
            Tamper.WrongKey => await host.PostAsync(body, signer: new TestSigner()),
            Tamper.OldTimestamp => await host.PostAsync(body, timestamp: (now - 3600).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Tamper.MissingSignature => await host.PostAsync(body, omitSignature: true),
            _ => await host.PostAsync(body, omitTimestamp: true),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // A valid command from the same user in the same channel goes through the same ordered inbox queue:
        // once it has run, anything queued before it would have run too.
        var good = Interactions.Command("echo", new JsonObject { ["text"] = "good" });
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(good)).StatusCode);
        await host.Discord.Rest.WaitForAsync(r => r.Is("PATCH", $"{Interactions.TokenOf(good)}/messages/@original") &&
                                                  r.Content.Contains("echo: good", StringComparison.Ordinal));

        Assert.Equal(["echo:good"], host.Gate.Log);
        Assert.DoesNotContain(host.Discord.Rest.Requests, r => r.Path.Contains(Interactions.TokenOf(evil), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"id":"1","type":2,"token":"t","data":{"name":"echo"}}""")]
    [InlineData("""{"type":2}""")]
    [InlineData("[]")]
    public async Task Signed_but_malformed_payloads_get_400(string body)
    {
        await using var host = await DiscordHost.StartAsync();
        var response = await host.PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
