using Moltworker.Testing.Time;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Web;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Web;

public class WebFetchContentTests : IClassFixture<UpstreamFixture>
{
    private readonly UpstreamServer _server;

    public WebFetchContentTests(UpstreamFixture fixture)
    {
        _server = fixture.Server;
        _server.ClearFaults();
    }

    private WebPlugin Plugin(WebOptions? options = null, TimeProvider? time = null)
    {
        options ??= new WebOptions();
        options.TestOnlyAllowLoopbackPort = _server.Port;
        return new WebPlugin(options, Log.For<WebPlugin>(), time ?? TimeProvider.System);
    }

    [Fact]
    public async Task Turns_html_into_readable_text()
    {
        using var plugin = Plugin();
        var result = await plugin.FetchUrlAsync($"{_server.BaseUrl}/web/page.html");
        Assert.Contains("Status: 200", result);
        Assert.Contains("# Moltworker test page", result);
        Assert.Contains("## Welcome", result);
        Assert.Contains("Hello world, this is a paragraph.", result);
        Assert.Contains("- first item", result);
        Assert.Contains($"the text file ({_server.BaseUrl}/web/text.txt)", result);
        Assert.DoesNotContain("do-not-show", result);
        Assert.DoesNotContain("alert", result);
        Assert.DoesNotContain("color:red", result);
    }

    [Fact]
    public async Task Passes_json_and_text_through()
    {
        using var plugin = Plugin();
        Assert.Contains("{\"answer\":42,\"items\":[1,2,3]}", await plugin.FetchUrlAsync($"{_server.BaseUrl}/web/data.json"));
        Assert.EndsWith("just plain text", await plugin.FetchUrlAsync($"{_server.BaseUrl}/web/text.txt"));
    }

    [Fact]
    public async Task Binary_content_is_described_not_dumped()
    {
        using var plugin = Plugin();
        var result = await plugin.FetchUrlAsync($"{_server.BaseUrl}/web/image.png");
        Assert.EndsWith("[binary content (image/png, 12 bytes) not shown]", result);
    }

    [Fact]
    public async Task Head_returns_status_and_headers_only()
    {
        using var plugin = Plugin();
        var result = await plugin.FetchUrlAsync($"{_server.BaseUrl}/web/text.txt", "HEAD");
        Assert.Contains("Status: 200", result);
        Assert.DoesNotContain("just plain text", result);
        Assert.Contains(_server.Requests, r => r.Method == "HEAD" && r.Path == "/web/text.txt");
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Refuses_methods_other_than_get_and_head(string method)
    {
        using var plugin = Plugin();
        var ex = await Assert.ThrowsAsync<ToolException>(() => plugin.FetchUrlAsync($"{_server.BaseUrl}/web/text.txt", method));
        Assert.Contains("GET and HEAD", ex.Message);
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/")]
    [InlineData("not a url")]
    public async Task Refuses_non_http_urls(string url)
    {
        using var plugin = Plugin();
        await Assert.ThrowsAsync<ToolException>(() => plugin.FetchUrlAsync(url));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cuts_an_oversized_body_with_a_note(bool withContentLength)
    {
        _server.SetFault("/web/big.html", UpstreamFault.Oversized(3 * 1024 * 1024, withContentLength));
        using var plugin = Plugin(new WebOptions { MaxBytes = 64 * 1024, MaxChars = 1_000_000 });
        var result = await plugin.FetchUrlAsync($"{_server.BaseUrl}/web/big.html");
        Assert.Contains("[truncated: the response is larger than 65536 bytes", result);
        Assert.True(result.Length < 80 * 1024, $"result has {result.Length} chars");
    }

    [Fact]
    public async Task Cuts_long_text_at_max_chars()
    {
        using var plugin = Plugin(new WebOptions { MaxChars = 5 });
        var result = await plugin.FetchUrlAsync($"{_server.BaseUrl}/web/text.txt");
        Assert.Contains("just \n\n[truncated: showing the first 5 characters]", result);
    }

    [Fact]
    public async Task Times_out_as_a_transient_failure()
    {
        _server.SetFault("/web/slow", UpstreamFault.Hang);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        using var plugin = Plugin(new WebOptions { Timeout = TimeSpan.FromSeconds(5) }, time);
        var arrived = _server.NextRequestAsync("/web/slow");
        var fetch = plugin.FetchUrlAsync($"{_server.BaseUrl}/web/slow");
        await arrived;
        time.Advance(TimeSpan.FromSeconds(6));
        var ex = await Assert.ThrowsAsync<ToolException>(() => fetch);
        Assert.True(ex.Transient);
        Assert.Contains("no answer within 5 s", ex.Message);
    }

    [Fact]
    public async Task Maps_429_with_retry_after_500_and_404()
    {
        _server.SetFault("/web/limited", UpstreamFault.TooManyRequests(42));
        _server.SetFault("/web/broken", UpstreamFault.ServerError);
        using var plugin = Plugin();
        var limited = await Assert.ThrowsAsync<ToolException>(() => plugin.FetchUrlAsync($"{_server.BaseUrl}/web/limited"));
        Assert.True(limited.Transient);
        Assert.Equal(TimeSpan.FromSeconds(42), limited.RetryAfter);
        var broken = await Assert.ThrowsAsync<ToolException>(() => plugin.FetchUrlAsync($"{_server.BaseUrl}/web/broken"));
        Assert.True(broken.Transient);
        Assert.Contains("HTTP 500", broken.Message);
        var missing = await Assert.ThrowsAsync<ToolException>(() => plugin.FetchUrlAsync($"{_server.BaseUrl}/web/nothing-here"));
        Assert.False(missing.Transient);
        Assert.Contains("404", missing.Message);
    }
}
