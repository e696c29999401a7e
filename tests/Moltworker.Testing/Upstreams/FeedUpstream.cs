using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Upstreams;

/// <summary>Feeds: <c>GET /feeds/news.rss</c> (RSS 2.0), <c>GET /feeds/news.atom</c> (Atom), <c>GET /feeds/bomb.rss</c> (a DTD with entities).</summary>
public static class FeedUpstream
{
    public const string Rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Example Wire</title><link>https://news.example.com/</link>
        <item><title>First headline</title><link>https://news.example.com/1</link><pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate></item>
        <item><title>Second headline</title><link>https://news.example.com/2</link></item>
        <item><title>Third headline</title><link>https://news.example.com/3</link></item>
        </channel></rss>
        """;

    public const string Atom = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title>
        <entry><title>Atom one</title><link rel="alternate" href="https://atom.example.com/1"/><updated>2026-11-21T08:00:00Z</updated></entry>
        <entry><title>Atom two</title><link href="https://atom.example.com/2"/></entry>
        </feed>
        """;

    public const string Bomb = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
        <rss version="2.0"><channel><title>&lol2;</title></channel></rss>
        """;

    public static void Map(WebApplication app)
    {
        app.MapGet("/feeds/news.rss", () => Results.Text(Rss, "application/rss+xml"));
        app.MapGet("/feeds/news.atom", () => Results.Text(Atom, "application/atom+xml"));
        app.MapGet("/feeds/bomb.rss", () => Results.Text(Bomb, "application/rss+xml"));
    }
}
