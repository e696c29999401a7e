using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.News;

/// <summary><c>Moltworker:Plugins:News</c>: Hacker News top stories, or an RSS/Atom feed.</summary>
[PluginOptions]
public sealed class NewsOptions
{
    public string HackerNewsBaseUrl { get; set; } = "https://hacker-news.firebaseio.com";

    /// <summary>An RSS 2.0, RSS 1.0 or Atom feed. When set, it is the default source instead of Hacker News.</summary>
    public string? FeedUrl { get; set; }

    /// <summary>A short name for the feed in results (default: the feed's own title).</summary>
    public string? FeedName { get; set; }

    public int DefaultCount { get; set; } = 5;
    public int MaxCount { get; set; } = 20;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    public long MaxResponseBytes { get; set; } = 1024 * 1024;
}
