using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using Moltworker.Console.Tests.Support;
using Moltworker.Host.Endpoints;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Testing.Time;

namespace Moltworker.Console.Tests;

/// <summary>How a browser opens the streams it cannot send <c>Authorization</c> to: a single-use, short-lived ticket
/// from <c>POST /api/ws-ticket</c>, taken with the key (docs/decisions/0057-console-auth.md).</summary>
public sealed class StreamTicketTests
{
    [Fact]
    public async Task With_a_key_defined_the_streams_need_a_ticket_that_works_once()
    {
        await using var host = await ConsoleHost.StartAsync();
        var key = await host.CreateKeyAsync("console", ApiScopes.Read, ApiScopes.Chat);

        using (var response = await host.Http.PostAsync("/api/ws-ticket", null))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);   // the ticket itself needs the key
        Assert.Equal(HttpStatusCode.Unauthorized, await SocketStatusAsync(host, ""));
        Assert.Equal(HttpStatusCode.Unauthorized, await SocketStatusAsync(host, "?ticket=wst_made-up"));

        var ticket = await TicketAsync(host, key);
        using (var socket = await ConnectAsync(host, $"?ticket={ticket}"))
            Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal(HttpStatusCode.Unauthorized, await SocketStatusAsync(host, $"?ticket={ticket}"));   // used

        var sseTicket = await TicketAsync(host, key);
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/events?ticket={sseTicket}"))
        using (var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        }

        // Only the stream routes take tickets.
        var other = await TicketAsync(host, key);
        using (var response = await host.Http.GetAsync($"/api/tasks?ticket={other}"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_ticket_carries_the_scopes_of_the_key_that_asked_for_it()
    {
        await using var host = await ConsoleHost.StartAsync();
        var reader = await host.CreateKeyAsync("reader", ApiScopes.Read);
        using var socket = await ConnectAsync(host, $"?ticket={await TicketAsync(host, reader)}");
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "chat", chatId = "c", text = "hi", messageId = "m-1" }),
            WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        var message = JsonDocument.Parse(buffer.AsMemory(0, received.Count)).RootElement;
        Assert.Equal("error", message.GetProperty("type").GetString());
        Assert.Equal(403, message.GetProperty("status").GetInt32());
    }

    [Fact]
    public void A_ticket_expires_after_its_lifetime_and_is_taken_by_its_first_use()
    {
        var time = new FakeTimeProvider();
        var tickets = new StreamTickets(time);
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ApiScopes.Claim, ApiScopes.Read), new Claim(ApiRateLimits.KeyNameClaim, "ci")], "test"));

        var (first, expiresAt) = tickets.Issue(user);
        Assert.Equal(time.GetUtcNow() + StreamTickets.Lifetime, expiresAt);
        var issued = tickets.Redeem(first);
        Assert.NotNull(issued);
        Assert.Equal([ApiScopes.Read], issued.Scopes);
        Assert.Equal("ci", issued.KeyName);
        Assert.Null(tickets.Redeem(first));

        var (late, _) = tickets.Issue(user);
        time.Advance(StreamTickets.Lifetime);
        Assert.Null(tickets.Redeem(late));
    }

    private static async Task<string> TicketAsync(ConsoleHost host, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ws-ticket");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var ticket = body.GetProperty("ticket").GetString()!;
        Assert.StartsWith("wst_", ticket, StringComparison.Ordinal);
        return ticket;
    }

    private static async Task<ClientWebSocket> ConnectAsync(ConsoleHost host, string query)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(SocketUri(host, query), CancellationToken.None);
        return socket;
    }

    private static async Task<HttpStatusCode> SocketStatusAsync(ConsoleHost host, string query)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(SocketUri(host, query), CancellationToken.None);
            return HttpStatusCode.SwitchingProtocols;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    private static Uri SocketUri(ConsoleHost host, string query) => new(host.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/api/ws" + query);
}
