using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Upstreams;

/// <summary>Hacker News Firebase shapes: <c>GET /v0/topstories.json</c> and <c>GET /v0/item/{id}.json</c>.</summary>
public static class HackerNewsUpstream
{
    public const long FirstId = 41000001;

    public static void Map(WebApplication app)
    {
        app.MapGet("/v0/topstories.json", () => Results.Json(Enumerable.Range(0, 50).Select(i => FirstId + i).ToArray()));
        app.MapGet("/v0/item/{file}", (string file) =>
        {
            if (!file.EndsWith(".json", StringComparison.Ordinal) || !long.TryParse(file[..^5], out var id)) return Results.NotFound();
            var n = id - FirstId + 1;
            return Results.Json(new
            {
                by = "author" + n, descendants = 10 * n, id, score = 500 - n, time = 1763700000 + n,
                title = $"Story number {n}", type = "story", url = $"https://example.com/story/{n}",
            });
        });
    }
}
