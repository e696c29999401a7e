using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Upstreams;

/// <summary>
/// Two web search services. Brave Search API: <c>GET /res/v1/web/search?q&amp;count&amp;freshness</c>, key in
/// <c>X-Subscription-Token</c> (anything but <see cref="BraveKey"/> gets Brave's 401 error object), hits under
/// <c>web.results</c>, no <c>web</c> at all when nothing matches. SearXNG: <c>GET /search?q&amp;format=json&amp;time_range</c>,
/// hits under <c>results</c> (403 when <c>format</c> is not json, as an instance with JSON off answers).
/// A query containing "nothing" matches nothing; otherwise there are <see cref="HitCount"/> hits.
/// </summary>
public static class SearchUpstreams
{
    public const string BraveKey = "test-brave-key";
    public const int HitCount = 12;

    public static void Map(WebApplication app)
    {
        app.MapGet("/res/v1/web/search", (HttpContext context, string? q, int? count, string? freshness) =>
        {
            if (context.Request.Headers["X-Subscription-Token"].ToString() != BraveKey)
                return Results.Json(new
                {
                    type = "ErrorResponse",
                    error = new { id = "c8a3b5e2", status = 401, code = "SUBSCRIPTION_TOKEN_INVALID", detail = "The provided subscription token is invalid." },
                }, statusCode: 401);
            var query = new { original = q, altered = (string?)null, more_results_available = true };
            if (q is null || q.Contains("nothing", StringComparison.OrdinalIgnoreCase))
                return Results.Json(new { type = "search", query });
            var n = Math.Clamp(count ?? 20, 1, 20);
            var results = Enumerable.Range(1, Math.Min(n, HitCount)).Select(i => new
            {
                type = "search_result",
                title = $"Result {i} about <strong>{q}</strong>",
                url = $"https://brave.example.com/{i}",
                description = $"Snippet {i} for <strong>{q}</strong> &amp; more{(freshness is null ? "" : $" (freshness {freshness})")}",
                age = i == 1 ? "2 days ago" : null,
                language = "en",
            });
            return Results.Json(new { type = "search", query, web = new { type = "search", results, family_friendly = true } });
        });

        app.MapGet("/search", (string? q, string? format, string? time_range) =>
        {
            if (format != "json") return Results.Text("Forbidden", "text/plain", statusCode: 403);
            var empty = q is null || q.Contains("nothing", StringComparison.OrdinalIgnoreCase);
            var results = Enumerable.Range(1, empty ? 0 : HitCount).Select(i => new
            {
                url = $"https://searx.example.org/{i}",
                title = $"SearX result {i}: {q}",
                content = $"Content {i} of {q}{(time_range is null ? "" : $" (time_range {time_range})")}",
                engine = "duckduckgo",
                engines = new[] { "duckduckgo", "wikipedia" },
                score = 1.0 / i,
                category = "general",
                publishedDate = (string?)null,
            });
            return Results.Json(new
            {
                query = q,
                number_of_results = 0,
                results,
                answers = Array.Empty<object>(),
                corrections = Array.Empty<object>(),
                infoboxes = Array.Empty<object>(),
                suggestions = Array.Empty<string>(),
                unresponsive_engines = Array.Empty<object>(),
            });
        });
    }
}
