using System.Diagnostics;
using Microsoft.Extensions.AI;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Browse;
using Moltworker.Plugins.BuiltIn.Web;
using Moltworker.Plugins.Tests.Fakes;

namespace Moltworker.Plugins.Tests.Browse;

/// <summary>browse_url in real Chromium (/usr/bin/chromium; .ci/run installs it) against in-test pages.</summary>
public sealed class BrowseChromiumTests(BrowseFixture fixture) : IClassFixture<BrowseFixture>
{
    private static readonly TimeSpan SanityBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Text_that_only_a_script_renders_is_read()
    {
        var result = await fixture.Plugin.TextAsync(fixture.Url("/script.html"));
        Assert.Contains("Rendered by script: 42 items", result);
        Assert.Contains("# Rendered", result);
        Assert.Contains("Status: 200", result);
        Assert.DoesNotContain("Blocked", result);
    }

    [Fact]
    public async Task A_script_fetch_to_a_loopback_service_is_blocked_reported_and_never_arrives()
    {
        var result = await fixture.Plugin.TextAsync(fixture.Url("/secret-fetch.html"));
        Assert.Contains("fetch failed", result);
        Assert.DoesNotContain("TOP-SECRET", result);
        Assert.Contains("Blocked by the SSRF guard (1 request):", result);
        Assert.Contains($"http://127.0.0.1:{fixture.Secret.Port}/secret: a loopback address", result);
        Assert.Equal(0, fixture.Secret.Connections);
    }

    [Fact]
    public async Task A_redirect_to_a_loopback_service_is_refused_where_it_connects()
    {
        var result = await fixture.Plugin.TextAsync(fixture.Url("/redirect-fetch.html"));
        Assert.Contains("redirect failed", result);
        Assert.DoesNotContain("TOP-SECRET", result);
        Assert.Contains($"refused to connect to 127.0.0.1: it resolves to a loopback address", result);
        Assert.Equal(0, fixture.Secret.Connections);
    }

    [Fact]
    public async Task A_websocket_to_a_loopback_service_is_closed_before_it_connects()
    {
        var result = await fixture.Plugin.TextAsync(fixture.Url("/socket.html"));
        Assert.Contains($"ws://127.0.0.1:{fixture.Secret.Port}/ws: a loopback address", result);
        Assert.DoesNotContain("socket open", result);
        Assert.Equal(0, fixture.Secret.Connections);
    }

    [Fact]
    public async Task A_page_that_never_settles_returns_its_text_when_the_settle_time_is_up()
    {
        var watch = Stopwatch.StartNew();
        var result = await fixture.Plugin.TextAsync(fixture.Url("/never-settles.html"));
        Assert.Contains("Visible while busy", result);
        Assert.Contains("Note: the page was still loading after 3 s", result);
        Assert.True(watch.Elapsed < SanityBound);
    }

    [Fact]
    public async Task A_hung_page_is_closed_at_its_timeout_and_the_browser_keeps_working()
    {
        await using var browser = fixture.Impatient(TimeSpan.FromSeconds(3));
        var plugin = new BrowsePlugin(Log.For<BrowsePlugin>(), TimeProvider.System, browser);
        Assert.Contains("Plain page", await plugin.TextAsync(fixture.Url("/static.html"))); // Chromium runs: the timeout counts from here
        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<ToolException>(() => plugin.BrowseUrlAsync(fixture.Url("/hung.html")));
        Assert.Contains("did not finish within 3 s and was closed", ex.Message);
        Assert.True(watch.Elapsed < SanityBound);
        Assert.Contains("Plain page", await plugin.TextAsync(fixture.Url("/static.html")));
    }

    [Fact]
    public async Task A_request_in_flight_after_load_is_waited_for()
    {
        var result = await fixture.Plugin.TextAsync(fixture.Url("/late-fetch.html"));
        Assert.Contains("data arrived: forty-two", result);
        Assert.DoesNotContain("still loading", result);
    }

    [Fact]
    public async Task A_page_that_opens_a_download_writes_nothing()
    {
        var result = await fixture.Plugin.TextAsync(fixture.Url("/download.html"));
        Assert.Contains("Your file is coming", result);
        Assert.True(!Directory.Exists(fixture.Browser.DownloadsPath) || Directory.GetFileSystemEntries(fixture.Browser.DownloadsPath).Length == 0);
    }

    [Fact]
    public async Task A_direct_download_url_is_refused_and_nothing_is_written()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => fixture.Plugin.BrowseUrlAsync(fixture.Url("/file.bin")));
        Assert.Contains("is a file download; browse_url refuses downloads", ex.Message);
        Assert.True(!Directory.Exists(fixture.Browser.DownloadsPath) || Directory.GetFileSystemEntries(fixture.Browser.DownloadsPath).Length == 0);
    }

    [Fact]
    public async Task Cookies_set_by_one_call_are_gone_in_the_next()
    {
        var first = await fixture.Plugin.TextAsync(fixture.Url("/cookie.html"));
        Assert.Contains("cookies before: none", first);
        var second = await fixture.Plugin.TextAsync(fixture.Url("/cookie.html"));
        Assert.Contains("cookies before: none", second);
    }

    [Fact]
    public async Task The_first_url_is_checked_before_the_browser_is_asked()
    {
        var ex = await Assert.ThrowsAsync<SsrfRefusedException>(() => fixture.Plugin.BrowseUrlAsync($"http://127.0.0.1:{fixture.Secret.Port}/secret"));
        Assert.Contains("loopback", ex.Message);
        Assert.Equal(0, fixture.Secret.Connections);
    }

    [Fact]
    public async Task A_screenshot_is_a_jpeg_of_the_page()
    {
        var result = await fixture.Plugin.BrowseAsync(fixture.Url("/static.html"), screenshot: true, CancellationToken.None);
        Assert.NotNull(result.Screenshot);
        Assert.True(result.Screenshot!.Length > 1000);
        Assert.Equal([0xFF, 0xD8], result.Screenshot[..2]);
    }

    [Fact]
    public async Task The_tool_returns_the_screenshot_as_an_image_beside_the_text_only_when_asked()
    {
        var plain = await fixture.Plugin.BrowseUrlAsync(fixture.Url("/static.html"));
        Assert.Empty(plain.OfType<DataContent>());

        var asked = await fixture.Plugin.BrowseUrlAsync(fixture.Url("/static.html"), screenshot: true);
        var image = Assert.Single(asked.OfType<DataContent>());
        Assert.Equal("image/jpeg", image.MediaType);
        Assert.Equal([0xFF, 0xD8], image.Data.ToArray()[..2]);
        Assert.Contains("Plain page", Assert.Single(asked.OfType<TextContent>()).Text);
    }
}
