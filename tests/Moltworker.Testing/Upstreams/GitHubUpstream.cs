using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Upstreams;

/// <summary>
/// GitHub REST shapes: <c>GET /repos/{owner}/{repo}/contents/{path}</c> (a file as base64 JSON, a folder as an
/// array), <c>GET /user</c> (needs a token), and any POST/PUT/PATCH/DELETE (answered 201 with an echo).
/// Repositories listed in <see cref="PrivateRepositories"/> answer 404 without a token, as GitHub does.
/// </summary>
public sealed class GitHubUpstream
{
    public ConcurrentDictionary<string, string> Files { get; } = new(StringComparer.Ordinal)
    {
        ["octo/hello/README.md"] = "# Hello\nA test repository.\n",
        ["octo/hello/src/main.c"] = "int main(void) { return 0; }\n",
        ["octo/hello/src/util/strings.c"] = "/* strings */\n",
        ["octo/secret/notes.txt"] = "private notes\n",
    };

    public HashSet<string> PrivateRepositories { get; } = ["octo/secret"];

    public void Map(WebApplication app)
    {
        app.MapGet("/repos/{owner}/{repo}/contents/{**path}", (HttpContext c, string owner, string repo, string? path) => Contents(c, $"{owner}/{repo}", path ?? ""));
        app.MapGet("/repos/{owner}/{repo}/contents", (HttpContext c, string owner, string repo) => Contents(c, $"{owner}/{repo}", ""));
        app.MapGet("/user", (HttpContext c) => Authorized(c) ? Json(c, new { login = "moltbot", id = 7 }) : Json(c, new { message = "Requires authentication" }, 401));
        app.MapMethods("/repos/{**rest}", ["POST", "PUT", "PATCH", "DELETE"], (HttpContext c, string rest) =>
        {
            if (!Authorized(c)) return Json(c, new { message = "Requires authentication" }, 401);
            var body = c.Items["body"] as string ?? "";
            object? received = body.Length > 0 ? JsonSerializer.Deserialize<JsonElement>(body) : null;
            return Json(c, new { id = 1, method = c.Request.Method, path = "/repos/" + rest, received }, 201);
        });
    }

    private IResult Contents(HttpContext context, string repo, string path)
    {
        if (PrivateRepositories.Contains(repo) && !Authorized(context)) return Json(context, new { message = "Not Found" }, 404);
        var key = $"{repo}/{path}".TrimEnd('/');
        if (Files.TryGetValue(key, out var content))
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            var base64 = Convert.ToBase64String(bytes);
            var wrapped = string.Join('\n', base64.Chunk(60).Select(ch => new string(ch))) + "\n";
            return Json(context, new { type = "file", encoding = "base64", size = bytes.Length, name = path.Split('/')[^1], path, content = wrapped, sha = "abc123" });
        }
        var prefix = key + "/";
        var children = Files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..]).Select(rest => (Name: rest.Split('/')[0], Dir: rest.Contains('/'), Full: rest))
            .DistinctBy(x => x.Name).ToList();
        if (children.Count == 0) return Json(context, new { message = "Not Found", documentation_url = "https://docs.github.com/rest" }, 404);
        return Json(context, children.Select(ch => new
        {
            name = ch.Name,
            path = (path.Length > 0 ? path.TrimEnd('/') + "/" : "") + ch.Name,
            type = ch.Dir ? "dir" : "file",
            size = ch.Dir ? 0 : Encoding.UTF8.GetByteCount(Files[prefix + ch.Full]),
        }).ToArray());
    }

    private static bool Authorized(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal);

    private static IResult Json(HttpContext context, object value, int status = 200)
    {
        context.Response.Headers["X-RateLimit-Limit"] = "5000";
        context.Response.Headers["X-RateLimit-Remaining"] = "4999";
        context.Response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Json(value, statusCode: status);
    }
}
