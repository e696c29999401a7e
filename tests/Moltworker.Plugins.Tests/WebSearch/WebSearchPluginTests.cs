using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.WebSearch;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.WebSearch;

/// <summary>web_search against the in-test Brave and SearXNG servers: success, 401, 429 with Retry-After,
/// malformed JSON and empty results, for each provider.</summary>
public sealed class WebSearchPluginTests : UpstreamTestBase
{
    public WebSearchPluginTests(UpstreamFixture fixture) : base(fixture) { }

    private const string BravePath = "/res/v1/web/search";
    private const string SearxPath = "/search";

    private WebSearchPlugin Brave(string? key = SearchUpstreams.BraveKey) =>
        Plugin(new WebSearchOptions { Provider = "Brave", BaseUrl = Server.BaseUrl, ApiKey = key });

    private WebSearchPlugin Searx() => Plugin(new WebSearchOptions { Provider = "searxng", BaseUrl = Server.BaseUrl });

    private WebSearchPlugin Plugin(WebSearchOptions options) => new(options, TimeProvider.System, Log.For<WebSearchPlugin>(), Factory);

    [Fact]
    public async Task Brave_results_are_numbered_with_title_url_and_plain_snippet()
    {
        var sent = Server.NextRequestAsync(BravePath);
        var result = await Brave().SearchAsync("rust async", 2, "week");
        Assert.Equal(
            "Web results for \"rust async\" (Brave):\n" +
            "[1] Result 1 about rust async (2 days ago)\n    https://brave.example.com/1\n    Snippet 1 for rust async & more (freshness pw)\n" +
            "[2] Result 2 about rust async\n    https://brave.example.com/2\n    Snippet 2 for rust async & more (freshness pw)", result);
        var request = await sent;
        Assert.Contains("q=rust%20async", request.Query);
        Assert.Contains("count=2", request.Query);
        Assert.Equal(SearchUpstreams.BraveKey, request.Headers["X-Subscription-Token"]);
    }

    [Fact]
    public async Task Count_defaults_to_five_and_is_capped_at_twenty()
    {
        var five = await Brave().SearchAsync("dotnet");
        Assert.Contains("[5] ", five);
        Assert.DoesNotContain("[6] ", five);
        var sent = Server.NextRequestAsync(BravePath);
        await Brave().SearchAsync("dotnet", 500);
        Assert.Contains("count=20", (await sent).Query);
    }

    [Fact]
    public async Task Searxng_results_are_cut_to_the_count_and_freshness_becomes_time_range()
    {
        var sent = Server.NextRequestAsync(SearxPath);
        var result = await Searx().SearchAsync("kestrel", 3, "month");
        Assert.StartsWith("Web results for \"kestrel\" (SearXNG):\n[1] SearX result 1: kestrel\n    https://searx.example.org/1\n    Content 1 of kestrel (time_range month)", result);
        Assert.Contains("[3] ", result);
        Assert.DoesNotContain("[4] ", result);
        var request = await sent;
        Assert.Contains("format=json", request.Query);
        Assert.Contains("time_range=month", request.Query);
    }

    [Fact]
    public async Task Empty_results_say_so_for_both_providers()
    {
        Assert.Equal("No web results for \"nothing here\" (Brave).", await Brave().SearchAsync("nothing here"));
        Assert.Equal("No web results for \"nothing here\" (SearXNG).", await Searx().SearchAsync("nothing here"));
    }

    [Fact]
    public async Task Brave_401_points_at_the_api_key()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Brave("wrong-key").SearchAsync("x"));
        Assert.Equal("Brave Search refused the API key; check Moltworker:Plugins:WebSearch:ApiKey (HTTP 401)", ex.Message);
        Assert.False(ex.Transient);
    }

    [Fact]
    public async Task Searxng_401_points_at_the_key_setting()
    {
        Server.SetFault(SearxPath, UpstreamFault.Unauthorized);
        var ex = await Assert.ThrowsAsync<ToolException>(() => Searx().SearchAsync("x"));
        Assert.Contains("SearXNG instance refused the request", ex.Message);
        Assert.Contains("Moltworker:Plugins:WebSearch:ApiKey", ex.Message);
        Assert.Contains("HTTP 401", ex.Message);
    }

    [Theory]
    [InlineData("Brave", BravePath)]
    [InlineData("SearXNG", SearxPath)]
    public async Task A_429_is_transient_and_carries_retry_after(string provider, string path)
    {
        Server.SetFault(path, UpstreamFault.TooManyRequests(17));
        var plugin = provider == "Brave" ? Brave() : Searx();
        var ex = await Assert.ThrowsAsync<ToolException>(() => plugin.SearchAsync("x"));
        Assert.True(ex.Transient);
        Assert.Equal(TimeSpan.FromSeconds(17), ex.RetryAfter);
        Assert.Equal($"web search ({provider}) rate limit reached (HTTP 429); try again in 17 s", ex.Message);
    }

    [Theory]
    [InlineData("Brave", BravePath)]
    [InlineData("SearXNG", SearxPath)]
    public async Task Malformed_json_is_a_readable_failure(string provider, string path)
    {
        Server.SetFault(path, UpstreamFault.MalformedJson);
        var plugin = provider == "Brave" ? Brave() : Searx();
        var ex = await Assert.ThrowsAsync<ToolException>(() => plugin.SearchAsync("x"));
        Assert.Equal($"web search ({provider}) returned malformed data (not valid JSON)", ex.Message);
    }

    [Theory]
    [InlineData(null, null, "web search is not configured: set Moltworker:Plugins:WebSearch:Provider")]
    [InlineData("Brave", null, "set Moltworker:Plugins:WebSearch:ApiKey")]
    [InlineData("SearXNG", null, "set Moltworker:Plugins:WebSearch:BaseUrl")]
    [InlineData("Bing", "k", "unknown web search provider \"Bing\"")]
    public async Task Unconfigured_says_how_to_configure(string? provider, string? key, string expected)
    {
        var requests = Server.Requests.Count;
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin(new WebSearchOptions { Provider = provider, ApiKey = key }).SearchAsync("x"));
        Assert.Contains(expected, ex.Message);
        Assert.Equal(requests, Server.Requests.Count);
    }

    [Fact]
    public async Task Unknown_freshness_is_refused_before_any_request()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Brave().SearchAsync("x", 3, "fortnight"));
        Assert.Contains("use day, week, month or year", ex.Message);
    }
}
