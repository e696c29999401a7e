using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.News;

/// <summary><c>Moltworker:Plugins:News</c>: Hacker News top stories, or an RSS/Atom feed.</summary>
[PluginOptions]
public sealed class NewsOptions
{
    /// <summary>Hacker News API root (<c>/v0/topstories.json</c>, <c>/v0/item/{id}.json</c>).</summary>
    public string HackerNewsBaseUrl { get; set; } = "https://hacker-news.firebaseio.com";

    /// <summary>An RSS 2.0, RSS 1.0 or Atom feed. When set, it is the default source instead of Hacker News.</summary>
    public string? FeedUrl { get; set; }

    /// <summary>A short name for the feed in results (default: the feed's own title).</summary>
    public string? FeedName { get; set; }

    /// <summary>Headlines when the call names no count.</summary>
    public int DefaultCount { get; set; } = 5;
    /// <summary>Most headlines one call returns.</summary>
    public int MaxCount { get; set; } = 20;
    /// <summary>Limit of one request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>A larger answer is refused, not parsed.</summary>
    public long MaxResponseBytes { get; set; } = 1024 * 1024;
}
