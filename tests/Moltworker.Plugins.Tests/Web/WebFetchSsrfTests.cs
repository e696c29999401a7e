using System.Net;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Web;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Web;

public class WebFetchSsrfTests(UpstreamFixture fixture) : IClassFixture<UpstreamFixture>
{
    private UpstreamServer Server => fixture.Server;

    private static WebPlugin Plugin(WebOptions? options = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null) =>
        resolve is null
            ? new WebPlugin(options ?? new WebOptions(), Log.For<WebPlugin>(), TimeProvider.System)
            : new WebPlugin(options ?? new WebOptions(), Log.For<WebPlugin>(), TimeProvider.System, resolve);

    [Theory]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://127.0.0.1:8080/admin")]
    [InlineData("http://[::1]/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://192.168.0.1/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://0.0.0.0/")]
    [InlineData("http://localhost/")]
    public async Task Refuses_private_and_loopback_targets(string url)
    {
        using var plugin = Plugin();
        var ex = await Assert.ThrowsAsync<SsrfRefusedException>(() => plugin.FetchUrlAsync(url));
        Assert.Contains("refused", ex.Message);
        Assert.False(ex.Transient);
    }

    [Fact]
    public async Task Refuses_the_in_test_server_itself_without_the_test_seam()
    {
        using var plugin = Plugin();
        var before = Server.Requests.Count;
        await Assert.ThrowsAsync<SsrfRefusedException>(() => plugin.FetchUrlAsync($"{Server.BaseUrl}/web/page.html"));
        Assert.Equal(before, Server.Requests.Count);
    }

    [Theory]
    [InlineData("http://10.0.0.1/secret")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/")]
    [InlineData("http://[::1]:9/")]
    [InlineData("http://localhost:9/")]
    public async Task Refuses_a_redirect_from_an_allowed_url_to_a_private_one(string target)
    {
        using var plugin = Plugin(new WebOptions { TestOnlyAllowLoopbackPort = Server.Port });
        var first = Server.NextRequestAsync("/web/redirect");
        var ex = await Assert.ThrowsAsync<SsrfRefusedException>(() =>
            plugin.FetchUrlAsync($"{Server.BaseUrl}/web/redirect?to={Uri.EscapeDataString(target)}"));
        Assert.True(first.IsCompleted, "the first, allowed hop reached the server");
        Assert.Contains("refused", ex.Message);
    }

    [Fact]
    public async Task Refuses_a_redirect_to_another_loopback_port()
    {
        using var plugin = Plugin(new WebOptions { TestOnlyAllowLoopbackPort = Server.Port });
        await Assert.ThrowsAsync<SsrfRefusedException>(() =>
            plugin.FetchUrlAsync($"{Server.BaseUrl}/web/redirect?to={Uri.EscapeDataString($"http://127.0.0.1:{Server.Port + 1}/")}"));
    }

    [Fact]
    public async Task Follows_an_allowed_redirect()
    {
        using var plugin = Plugin(new WebOptions { TestOnlyAllowLoopbackPort = Server.Port });
        var result = await plugin.FetchUrlAsync($"{Server.BaseUrl}/web/redirect?to=%2Fweb%2Ftext.txt");
        Assert.Contains("just plain text", result);
        Assert.Contains("/web/text.txt", result);
    }

    [Fact]
    public async Task Stops_after_five_redirects()
    {
        using var plugin = Plugin(new WebOptions { TestOnlyAllowLoopbackPort = Server.Port });
        var ex = await Assert.ThrowsAsync<ToolException>(() => plugin.FetchUrlAsync($"{Server.BaseUrl}/web/loop/0"));
        Assert.Contains("too many redirects", ex.Message);
        Assert.Contains(Server.Requests, r => r.Path == "/web/loop/5");
        Assert.DoesNotContain(Server.Requests, r => r.Path == "/web/loop/6");
    }

    [Fact]
    public async Task Checks_the_address_again_at_connect_time()
    {
        // DNS rebinding: the name looks public when checked, then resolves to loopback when the socket connects.
        var calls = 0;
        Task<IPAddress[]> Rebinding(string host, CancellationToken ct) =>
            Task.FromResult(Interlocked.Increment(ref calls) == 1 ? [IPAddress.Parse("93.184.216.34")] : new[] { IPAddress.Loopback });
        using var plugin = Plugin(resolve: Rebinding);
        var before = Server.Requests.Count;
        var ex = await Assert.ThrowsAsync<SsrfRefusedException>(() => plugin.FetchUrlAsync($"http://rebind.test:{Server.Port}/web/page.html"));
        Assert.Contains("connect time", ex.Message);
        Assert.Equal(2, calls);
        Assert.Equal(before, Server.Requests.Count);
    }

    [Fact]
    public async Task Refuses_a_host_when_any_of_its_addresses_is_private()
    {
        Task<IPAddress[]> Mixed(string host, CancellationToken ct) =>
            Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.1.2.3") });
        using var plugin = Plugin(resolve: Mixed);
        var ex = await Assert.ThrowsAsync<SsrfRefusedException>(() => plugin.FetchUrlAsync("http://mixed.test/"));
        Assert.Contains("private address (10.1.2.3)", ex.Message);
    }

    [Fact]
    public async Task Connects_through_the_guarded_callback_when_allowed()
    {
        Task<IPAddress[]> Resolve(string host, CancellationToken ct) => Task.FromResult(new[] { IPAddress.Loopback });
        using var plugin = Plugin(new WebOptions { TestOnlyAllowLoopbackPort = Server.Port }, Resolve);
        var result = await plugin.FetchUrlAsync($"http://site.test:{Server.Port}/web/text.txt");
        Assert.Contains("just plain text", result);
    }

    [Fact]
    public async Task Applies_the_allowlist_and_the_denylist()
    {
        using var allowOnly = Plugin(new WebOptions { TestOnlyAllowLoopbackPort = Server.Port, AllowPrefixes = ["https://example.com/"] });
        var ex = await Assert.ThrowsAsync<SsrfRefusedException>(() => allowOnly.FetchUrlAsync($"{Server.BaseUrl}/web/text.txt"));
        Assert.Contains("allowlist", ex.Message);

        using var deny = Plugin(new WebOptions { TestOnlyAllowLoopbackPort = Server.Port, DenyPrefixes = [$"{Server.BaseUrl}/web/text"] });
        ex = await Assert.ThrowsAsync<SsrfRefusedException>(() => deny.FetchUrlAsync($"{Server.BaseUrl}/web/text.txt"));
        Assert.Contains("denylist", ex.Message);
        Assert.Contains("answer", await deny.FetchUrlAsync($"{Server.BaseUrl}/web/data.json"));
    }

    [Fact]
    public async Task Denylist_applies_to_redirect_targets_too()
    {
        using var plugin = Plugin(new WebOptions { TestOnlyAllowLoopbackPort = Server.Port, DenyPrefixes = [$"{Server.BaseUrl}/web/text"] });
        await Assert.ThrowsAsync<SsrfRefusedException>(() => plugin.FetchUrlAsync($"{Server.BaseUrl}/web/redirect?to=%2Fweb%2Ftext.txt"));
    }
}
