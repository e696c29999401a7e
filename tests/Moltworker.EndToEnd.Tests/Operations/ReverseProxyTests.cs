using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Hosting;

namespace Moltworker.EndToEnd.Tests.Operations;

/// <summary>Forwarded headers change what the host sees as the client's address and scheme only when
/// <c>Moltworker:ReverseProxy:Enabled</c> is set (the test client is on loopback, a believed proxy).</summary>
public sealed class ReverseProxyTests
{
    /// <summary>Answers GET /test/client with the client address and scheme as the endpoints see them.</summary>
    private sealed class EchoClient : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, rest) =>
            {
                if (context.Request.Path == "/test/client")
                    await context.Response.WriteAsync($"{context.Connection.RemoteIpAddress} {context.Request.Scheme} {context.Request.Host}");
                else await rest(context);
            });
            next(app);
        };
    }

    private static async Task<string> SeenAsync(bool enabled)
    {
        await using var host = await RunningHost.StartAsync([.. RunningHost.NoModel, $"--Moltworker:ReverseProxy:Enabled={enabled}"],
            configure: s => s.AddTransient<IStartupFilter, EchoClient>());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/test/client");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "bot.example.org");
        using var response = await host.Http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Forwarded_headers_are_honoured_when_configured_and_ignored_otherwise()
    {
        Assert.Equal("203.0.113.7 https bot.example.org", await SeenAsync(enabled: true));
        Assert.StartsWith("127.0.0.1 http 127.0.0.1:", await SeenAsync(enabled: false));
    }

    [Fact]
    public async Task A_known_proxy_that_is_not_an_address_stops_the_host_at_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningHost.StartAsync([.. RunningHost.NoModel, "--Moltworker:ReverseProxy:KnownProxies:0=proxy.local"]));
        Assert.Contains("KnownProxies must be IP addresses", error.ToString());
    }
}
