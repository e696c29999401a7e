using System.Globalization;
using System.Text.Json;

namespace Moltworker.Plugins.BuiltIn.WebSearch;

/// <summary>The Brave Search API: <c>GET /res/v1/web/search?q=…&amp;count=…&amp;freshness=pd|pw|pm|py</c> with the key in
/// <c>X-Subscription-Token</c>; hits under <c>web.results[]</c> (title, url, description, age). No <c>web</c>: no hits.</summary>
internal sealed class BraveSearch(string baseUrl, string apiKey) : ISearchProvider
{
    public const string DefaultBaseUrl = "https://api.search.brave.com";

    public string Name => "Brave";

    public string Unauthorized => "Brave Search refused the API key; check Moltworker:Plugins:WebSearch:ApiKey";

    public HttpRequestMessage CreateRequest(string query, int count, Freshness freshness)
    {
        var url = $"{baseUrl.TrimEnd('/')}/res/v1/web/search?q={Uri.EscapeDataString(query)}&count={count.ToString(CultureInfo.InvariantCulture)}";
        if (freshness != Freshness.Any) url += "&freshness=" + Code(freshness);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.TryAddWithoutValidation("X-Subscription-Token", apiKey);
        return request;
    }

    public IReadOnlyList<SearchHit> ReadHits(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("not an object");
        if (!root.TryGetProperty("web", out var web) || !web.TryGetProperty("results", out var results)) return [];
        return results.EnumerateArray()
            .Select(r => new SearchHit(
                SnippetText.Clean(r.GetProperty("title").GetString()),
                r.GetProperty("url").GetString() ?? throw new FormatException("no url"),
                SnippetText.Clean(r.TryGetProperty("description", out var d) ? d.GetString() : null),
                r.TryGetProperty("age", out var age) && age.ValueKind == JsonValueKind.String ? age.GetString() : null))
            .ToList();
    }

    private static string Code(Freshness freshness) => freshness switch
    {
        Freshness.Day => "pd",
        Freshness.Week => "pw",
        Freshness.Month => "pm",
        _ => "py",
    };
}
