using System.ComponentModel;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Http;

namespace Moltworker.Plugins.BuiltIn.News;

/// <summary><c>get_top_news</c>: Hacker News top stories, or the configured RSS/Atom feed.</summary>
[Plugin("News", Description = "Top news headlines (Hacker News or a configured RSS/Atom feed).")]
public sealed partial class NewsPlugin(NewsOptions options, TimeProvider time, ILogger<NewsPlugin> logger, IHttpClientFactory? httpClientFactory = null)
{
    public const string HttpClientName = "Moltworker.Plugins.News";
    private readonly UpstreamSettings _hn = new("Hacker News", options.Timeout, options.MaxResponseBytes);
    private readonly UpstreamSettings _feed = new("news feed", options.Timeout, options.MaxResponseBytes);

    [KernelFunction("get_top_news")]
    [ToolSafety(SideEffects = false, ParallelSafe = true, Command = true, CommandName = "news")]
    [Description("Top news headlines with links: Hacker News top stories, or the configured RSS/Atom feed.")]
    public async Task<string> GetTopNewsAsync(
        [Description("How many headlines (1-20). 0: the configured default.")] int count = 0,
        [Description("\"hn\" for Hacker News or \"feed\" for the configured feed. Empty: the feed when one is configured, else Hacker News.")] string? source = null,
        CancellationToken cancellationToken = default)
    {
        var n = Math.Clamp(count <= 0 ? options.DefaultCount : count, 1, Math.Max(1, options.MaxCount));
        var useFeed = source?.Trim().ToLowerInvariant() switch
        {
            "hn" or "hackernews" or "hacker news" => false,
            "feed" or "rss" or "atom" => true,
            null or "" => !string.IsNullOrWhiteSpace(options.FeedUrl),
            _ => throw new ToolException($"unknown news source \"{source}\"; use \"hn\" or \"feed\""),
        };
        if (useFeed && string.IsNullOrWhiteSpace(options.FeedUrl))
            throw new ToolException("no news feed configured (Moltworker:Plugins:News:FeedUrl)");
        var client = SharedHttpClientFactory.Create(httpClientFactory, HttpClientName);
        var (title, items) = useFeed
            ? await FeedAsync(client, n, cancellationToken).ConfigureAwait(false)
            : ("Hacker News top stories", await HackerNewsAsync(client, n, cancellationToken).ConfigureAwait(false));
        LogNews(title, items.Count);
        var text = new StringBuilder(title).Append(':');
        var i = 0;
        foreach (var item in items)
        {
            text.Append('\n').Append(++i).Append(". ").Append(item.Title);
            if (item.Detail is not null) text.Append(" (").Append(item.Detail).Append(')');
            if (item.Url is not null) text.Append(" ").Append(item.Url);
        }
        if (items.Count == 0) text.Append(" no items");
        return text.ToString();
    }

    private async Task<IReadOnlyList<Headline>> HackerNewsAsync(HttpClient client, int n, CancellationToken cancellationToken)
    {
        var root = options.HackerNewsBaseUrl.TrimEnd('/');
        var ids = await GetJsonAsync(client, $"{root}/v0/topstories.json", _hn, json => UpstreamJson.Shape(
            () => json.RootElement.EnumerateArray().Take(n).Select(e => e.GetInt64()).ToList(), _hn), cancellationToken).ConfigureAwait(false);
        var tasks = ids.Select(id => GetJsonAsync(client, $"{root}/v0/item/{id}.json", _hn, json => Story(json.RootElement, id), cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (ToolException) when (tasks.Any(t => t.IsCompletedSuccessfully))
        {
            // Some stories failed: show the others.
        }
        var stories = tasks.Where(t => t.IsCompletedSuccessfully && t.Result is not null).Select(t => t.Result!).ToList();
        if (stories.Count == 0 && tasks.FirstOrDefault(t => t.IsFaulted) is { } failed) throw failed.Exception!.InnerException!;
        return stories;
    }

    private static Headline? Story(JsonElement item, long id)
    {
        if (item.ValueKind != JsonValueKind.Object || UpstreamJson.String(item, "title") is not { } title) return null;
        var score = UpstreamJson.Number(item, "score");
        var comments = UpstreamJson.Number(item, "descendants");
        var detail = score is null ? null : $"{score} points" + (comments is null ? "" : $", {comments} comments");
        return new Headline(title, UpstreamJson.String(item, "url") ?? $"https://news.ycombinator.com/item?id={id}", detail);
    }

    private async Task<(string, IReadOnlyList<Headline>)> FeedAsync(HttpClient client, int n, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, options.FeedUrl);
        request.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5");
        var response = await Upstream.SendAsync(client, request, _feed, time, cancellationToken).ConfigureAwait(false);
        Upstream.EnsureSuccess(response, _feed, time);
        Upstream.EnsureComplete(response, _feed);
        try
        {
            var (title, items) = FeedParser.Parse(response.Body, n);
            return (options.FeedName ?? (string.IsNullOrWhiteSpace(title) ? "News feed" : title), items);
        }
        catch (XmlException ex)
        {
            throw new ToolException($"news feed returned malformed data ({ex.Message})", transient: true);
        }
    }

    private async Task<T> GetJsonAsync<T>(HttpClient client, string url, UpstreamSettings settings, Func<JsonDocument, T> read, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var response = await Upstream.SendAsync(client, request, settings, time, cancellationToken).ConfigureAwait(false);
        Upstream.EnsureSuccess(response, settings, time);
        using var json = UpstreamJson.Parse(response, settings);
        return read(json);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "get_top_news answered from {Source} with {Count} items")]
    private partial void LogNews(string source, int count);
}
