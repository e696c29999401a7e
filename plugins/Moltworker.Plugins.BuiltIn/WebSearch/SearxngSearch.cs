using System.Text.Json;

namespace Moltworker.Plugins.BuiltIn.WebSearch;

/// <summary>A SearXNG instance's JSON API: <c>GET /search?q=…&amp;format=json[&amp;time_range=day|week|month|year]</c>;
/// hits under <c>results[]</c> (title, url, content, publishedDate). SearXNG takes no count: the first ones are kept.</summary>
internal sealed class SearxngSearch(string baseUrl, string? apiKey) : ISearchProvider
{
    public string Name => "SearXNG";

    public string Unauthorized => "the SearXNG instance refused the request (its JSON format may be off, or it wants a key: Moltworker:Plugins:WebSearch:ApiKey)";

    public HttpRequestMessage CreateRequest(string query, int count, Freshness freshness)
    {
        var url = $"{baseUrl.TrimEnd('/')}/search?q={Uri.EscapeDataString(query)}&format=json";
        if (freshness != Freshness.Any) url += "&time_range=" + freshness.ToString().ToLowerInvariant();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        if (!string.IsNullOrEmpty(apiKey)) request.Headers.Authorization = new("Bearer", apiKey);
        return request;
    }

    public IReadOnlyList<SearchHit> ReadHits(JsonElement root) =>
        root.GetProperty("results").EnumerateArray()
            .Select(r => new SearchHit(
                SnippetText.Clean(r.TryGetProperty("title", out var t) ? t.GetString() : null),
                r.GetProperty("url").GetString() ?? throw new FormatException("no url"),
                SnippetText.Clean(r.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null),
                r.TryGetProperty("publishedDate", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null))
            .ToList();
}
