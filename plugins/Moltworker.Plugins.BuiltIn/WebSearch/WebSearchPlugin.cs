using System.ComponentModel;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Http;

namespace Moltworker.Plugins.BuiltIn.WebSearch;

/// <summary><c>web_search</c> (and the chat command <c>/search</c>): numbered titles, URLs and snippets from Brave
/// Search or a SearXNG instance.</summary>
[Plugin("WebSearch", Description = "Searches the web (Brave Search or a SearXNG instance).")]
public sealed partial class WebSearchPlugin(WebSearchOptions options, TimeProvider time, ILogger<WebSearchPlugin> logger, IHttpClientFactory? httpClientFactory = null)
{
    public const string HttpClientName = "Moltworker.Plugins.WebSearch";

    [Tool("web_search", ParallelSafe = true, Command = true, CommandName = "search")]
    [Description("Searches the web. Returns numbered results (title, URL, snippet); cite them by number and URL.")]
    public async Task<string> SearchAsync(
        [Description("What to search for")] string query,
        [Description("How many results (1-20, default 5)")] int count = 0,
        [Description("Only results from the last day, week, month or year. Empty: any time.")] string? freshness = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new ToolException("web_search needs a query");
        var provider = Provider();
        var n = Math.Clamp(count <= 0 ? options.DefaultCount : count, 1, Math.Max(1, options.MaxCount));
        var since = FreshnessParser.Parse(freshness);
        var settings = new UpstreamSettings($"web search ({provider.Name})", options.Timeout, options.MaxResponseBytes);

        using var request = provider.CreateRequest(query.Trim(), n, since);
        var client = SharedHttpClientFactory.Create(httpClientFactory, HttpClientName);
        var response = await Upstream.SendAsync(client, request, settings, time, cancellationToken).ConfigureAwait(false);
        LogSearched(provider.Name, (int)response.Status);
        if (response.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new ToolException($"{provider.Unauthorized} (HTTP {(int)response.Status})");
        Upstream.EnsureSuccess(response, settings, time);
        using var json = UpstreamJson.Parse(response, settings);
        var hits = UpstreamJson.Shape(() => provider.ReadHits(json.RootElement), settings);
        return Format(query.Trim(), provider.Name, hits.Take(n).ToList());
    }

    private ISearchProvider Provider()
    {
        var name = options.Provider?.Trim();
        if (string.IsNullOrEmpty(name))
            throw new ToolException("web search is not configured: set Moltworker:Plugins:WebSearch:Provider to Brave (with :ApiKey, " +
                                    "a Brave Search API key) or SearXNG (with :BaseUrl, your instance's address)");
        if (name.Equals("Brave", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(options.ApiKey))
                throw new ToolException("web search with Brave needs an API key: set Moltworker:Plugins:WebSearch:ApiKey");
            return new BraveSearch(string.IsNullOrWhiteSpace(options.BaseUrl) ? BraveSearch.DefaultBaseUrl : options.BaseUrl, options.ApiKey);
        }
        if (name.Equals("SearXNG", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(options.BaseUrl))
                throw new ToolException("web search with SearXNG needs the instance's address: set Moltworker:Plugins:WebSearch:BaseUrl");
            return new SearxngSearch(options.BaseUrl, options.ApiKey);
        }
        throw new ToolException($"unknown web search provider \"{name}\" (Moltworker:Plugins:WebSearch:Provider): use Brave or SearXNG");
    }

    private static string Format(string query, string provider, IReadOnlyList<SearchHit> hits)
    {
        if (hits.Count == 0) return $"No web results for \"{query}\" ({provider}).";
        var text = new StringBuilder($"Web results for \"{query}\" ({provider}):");
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            text.Append('\n').Append('[').Append(i + 1).Append("] ").Append(hit.Title.Length > 0 ? hit.Title : hit.Url);
            if (hit.Age is { Length: > 0 } age) text.Append(" (").Append(age).Append(')');
            text.Append("\n    ").Append(hit.Url);
            if (hit.Snippet.Length > 0) text.Append("\n    ").Append(hit.Snippet);
        }
        return text.ToString();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "web_search via {Provider} -> {Status}")]
    private partial void LogSearched(string provider, int status);
}
