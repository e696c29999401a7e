using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Upstreams;

/// <summary>Plain pages for <c>fetch_url</c>: <c>/web/page.html</c>, <c>/web/data.json</c>, <c>/web/text.txt</c>,
/// <c>/web/redirect?to=URL</c> (302), <c>/web/loop/{n}</c> (redirects to n+1 forever).</summary>
public static class WebPagesUpstream
{
    public const string Page = """
        <!doctype html><html><head><title>Moltworker test page</title><style>body{color:red}</style>
        <script>var secret = "do-not-show";</script></head>
        <body><nav>Home | About</nav><h1>Welcome</h1><p>Hello <b>world</b>, this is a
        paragraph.</p><ul><li>first item</li><li>second item</li></ul>
        <p>See <a href="/web/text.txt">the text file</a>.</p><script>alert("no")</script></body></html>
        """;

    public static void Map(WebApplication app)
    {
        app.MapGet("/web/page.html", () => Results.Text(Page, "text/html; charset=utf-8"));
        app.MapGet("/web/data.json", () => Results.Text("{\"answer\":42,\"items\":[1,2,3]}", "application/json"));
        app.MapMethods("/web/text.txt", ["GET", "HEAD"], () => Results.Text("just plain text", "text/plain"));
        app.MapGet("/web/image.png", () => Results.Bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0], "image/png"));
        app.MapGet("/web/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/web/loop/{n:int}", (int n) => Results.Redirect($"/web/loop/{n + 1}"));
    }
}
