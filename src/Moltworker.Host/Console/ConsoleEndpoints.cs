using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

// Not Moltworker.Host.Console: that namespace would hide System.Console from the whole host.
namespace Moltworker.Host.WebConsole;

/// <summary>
/// Serves the web console: <c>GET /</c> is its page, <c>GET /console/{path}</c> its styles and scripts
/// (<see cref="ConsoleAssets"/>). Every response carries a strong ETag and <c>Cache-Control: no-cache</c> (the browser
/// keeps the file and asks each time; an unchanged file is a bodiless 304), is Brotli- or gzip-encoded when the client
/// accepts it, and comes with a Content-Security-Policy that allows only the host's own scripts, styles and connections.
/// The console's pages need no key; the API calls they make do (see docs/console.md).
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>Only this origin's files and connections; no inline script, no framing.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IServiceCollection AddConsole(this IServiceCollection services) => services.AddSingleton<ConsoleAssets>();

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        // The page's first request starts compressing every file in the background, so the modules it imports are
        // ready or under way when the browser asks; a host whose console is never opened compresses nothing.
        endpoints.MapGet("/", (HttpContext context, ConsoleAssets assets) =>
        {
            assets.PrepareInBackground();
            return Serve(context, assets.Find("index.html"));
        });
        endpoints.MapGet("/console/{**path}", (string path, HttpContext context, ConsoleAssets assets) =>
            Serve(context, path == "index.html" ? null : assets.Find(path)));
        return endpoints;
    }

    private static IResult Serve(HttpContext context, ConsoleAsset? asset)
    {
        if (asset is null) return Results.NotFound();
        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.Vary = "Accept-Encoding";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (Matches(context.Request, asset.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        if (asset.Brotli is not null && Accepts(accepted, "br"))
        {
            headers.ContentEncoding = "br";
            return Results.Bytes(asset.Brotli, asset.ContentType);
        }
        if (asset.Gzip is not null && Accepts(accepted, "gzip"))
        {
            headers.ContentEncoding = "gzip";
            return Results.Bytes(asset.Gzip, asset.ContentType);
        }
        return Results.Bytes(asset.Plain, asset.ContentType);
    }

    private static bool Matches(HttpRequest request, string etag) =>
        EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags)
        && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == etag);

    private static bool Accepts(string acceptEncoding, string coding) =>
        StringWithQualityHeaderValue.TryParseList(acceptEncoding.Split(','), out var values)
        && values.Any(v => string.Equals(v.Value.Value, coding, StringComparison.OrdinalIgnoreCase) && (v.Quality ?? 1) > 0);
}
