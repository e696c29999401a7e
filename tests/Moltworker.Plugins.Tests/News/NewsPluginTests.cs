using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.News;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Plugins.Tests.Upstreams;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.News;

public sealed class NewsPluginTests : UpstreamTestBase
{

    public NewsPluginTests(UpstreamFixture fixture) : base(fixture) { }

    private NewsPlugin Plugin(string? feed = null, NewsOptions? options = null) => PluginCalls.News(Server, Factory, TimeProvider.System, feed, options);

    [Fact]
    public async Task Lists_hacker_news_top_stories_in_order()
    {
        var result = await Plugin().GetTopNewsAsync(3);
        Assert.Equal(
            "Hacker News top stories:\n" +
            "1. Story number 1 (499 points, 10 comments) https://example.com/story/1\n" +
            "2. Story number 2 (498 points, 20 comments) https://example.com/story/2\n" +
            "3. Story number 3 (497 points, 30 comments) https://example.com/story/3", result);
    }

    [Fact]
    public async Task One_failing_story_does_not_hide_the_others()
    {
        Server.SetFault($"/v0/item/{HackerNewsUpstream.FirstId + 1}.json", UpstreamFault.ServerError);
        var result = await Plugin().GetTopNewsAsync(3);
        Assert.Contains("Story number 1", result);
        Assert.DoesNotContain("Story number 2", result);
        Assert.Contains("Story number 3", result);
    }

    [Fact]
    public async Task Reads_an_rss_feed_from_configuration()
    {
        var result = await Plugin("/feeds/news.rss").GetTopNewsAsync(2);
        Assert.Equal("Example Wire:\n1. First headline (Sat, 21 Nov 2026 08:00:00 GMT) https://news.example.com/1\n2. Second headline https://news.example.com/2", result);
    }

    [Fact]
    public async Task Reads_an_atom_feed()
    {
        var result = await Plugin("/feeds/news.atom").GetTopNewsAsync(5);
        Assert.Contains("Example Atom:", result);
        Assert.Contains("1. Atom one (2026-11-21T08:00:00Z) https://atom.example.com/1", result);
        Assert.Contains("2. Atom two https://atom.example.com/2", result);
    }

    [Fact]
    public async Task Refuses_feeds_with_a_dtd()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin("/feeds/bomb.rss").GetTopNewsAsync());
        Assert.Contains("news feed returned malformed data", ex.Message);
    }

    [Fact]
    public async Task Source_can_force_hacker_news_or_the_feed()
    {
        Assert.StartsWith("Hacker News", await Plugin("/feeds/news.rss").GetTopNewsAsync(1, "hn"));
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().GetTopNewsAsync(1, "feed"));
        Assert.Contains("no news feed configured", ex.Message);
        await Assert.ThrowsAsync<ToolException>(() => Plugin().GetTopNewsAsync(1, "twitter"));
    }

    [Fact]
    public async Task Count_is_clamped_to_the_maximum()
    {
        var result = await Plugin(options: new NewsOptions { MaxCount = 4 }).GetTopNewsAsync(50);
        Assert.Equal(5, result.Split('\n').Length);
    }
}
