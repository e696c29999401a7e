using System.Text.Json;

namespace Moltworker.Plugins.BuiltIn.WebSearch;

/// <summary>One search service's wire format: the request it wants and how its JSON answer reads.</summary>
internal interface ISearchProvider
{
    /// <summary>The name in messages and in the result's heading ("Brave", "SearXNG").</summary>
    string Name { get; }

    HttpRequestMessage CreateRequest(string query, int count, Freshness freshness);

    /// <summary>The hits in the service's order; throws (caught as "unexpected data") when the shape is wrong.</summary>
    IReadOnlyList<SearchHit> ReadHits(JsonElement root);

    /// <summary>The message for a refused key (HTTP 401/403).</summary>
    string Unauthorized { get; }
}
