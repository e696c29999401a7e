using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Plugins.Tests.Browse;

/// <summary>The in-test pages browse_url reads; <c>secretPort</c> is the loopback service pages try to reach.</summary>
public static class BrowsePages
{
    private const string Html = "text/html; charset=utf-8";

    public static void Map(WebApplication app, Func<int> secretPort)
    {
        app.MapGet("/static.html", () => Results.Content(
            "<html><head><title>Static</title></head><body><h1>Plain page</h1><p>Served as HTML.</p></body></html>", Html));

        app.MapGet("/cookie.html", () => Results.Content("""
            <html><head><title>Cookie</title></head><body><p id="out"></p>
            <script>
              const before = document.cookie || localStorage.getItem('seen') || 'none';
              document.cookie = 'visited=yes; max-age=3600';
              localStorage.setItem('seen', 'yes');
              document.getElementById('out').textContent = 'cookies before: ' + before;
            </script></body></html>
            """, Html));

        app.MapGet("/script.html", () => Results.Content("""
            <html><head><title>Rendered</title></head><body><div id="app"></div>
            <script>
              setTimeout(() => {
                document.getElementById('app').innerHTML = '<p>Rendered by script: ' + (6 * 7) + ' items</p>';
              }, 50);
            </script></body></html>
            """, Html));

        app.MapGet("/secret-fetch.html", () => Results.Content($$"""
            <html><head><title>Fetcher</title></head><body><p id="out">waiting</p>
            <script>
              fetch('http://127.0.0.1:{{secretPort()}}/secret')
                .then(r => r.text()).then(t => { document.getElementById('out').textContent = 'leaked ' + t; })
                .catch(() => { document.getElementById('out').textContent = 'fetch failed'; });
            </script></body></html>
            """, Html));

        app.MapGet("/redirect-fetch.html", () => Results.Content("""
            <html><head><title>Redirected</title></head><body><p id="out">waiting</p>
            <script>
              fetch('/to-secret').then(r => r.text()).then(t => { document.getElementById('out').textContent = 'leaked ' + t; })
                .catch(() => { document.getElementById('out').textContent = 'redirect failed'; });
            </script></body></html>
            """, Html));
        app.MapGet("/to-secret", () => Results.Redirect($"http://127.0.0.1:{secretPort()}/secret"));

        app.MapGet("/socket.html", () => Results.Content($$"""
            <html><head><title>Socket</title></head><body><p id="out">waiting</p>
            <script>
              const ws = new WebSocket('ws://127.0.0.1:{{secretPort()}}/ws');
              ws.onopen = () => { document.getElementById('out').textContent = 'socket open'; };
              ws.onclose = () => { document.getElementById('out').textContent = 'socket closed'; };
            </script></body></html>
            """, Html));

        app.MapGet("/late-fetch.html", () => Results.Content("""
            <html><head><title>Late</title></head><body><p id="out">waiting for data</p>
            <script>
              window.addEventListener('load', () => fetch('/slow.json').then(r => r.json())
                .then(j => { document.getElementById('out').textContent = 'data arrived: ' + j.value; }));
            </script></body></html>
            """, Html));
        app.MapGet("/slow.json", async (CancellationToken aborted) =>
        {
            await Task.Delay(400, aborted); // the page must wait for a request in flight, not read at the first quiet moment
            return Results.Json(new { value = "forty-two" });
        });

        app.MapGet("/never-settles.html", () => Results.Content("""
            <html><head><title>Busy</title></head><body><p>Visible while busy</p>
            <img src="/hang.png"><script>setInterval(() => fetch('/hang.json').catch(() => {}), 200);</script></body></html>
            """, Html));
        app.MapGet("/hang.png", HangAsync);
        app.MapGet("/hang.json", HangAsync);

        app.MapGet("/hung.html", () => Results.Content(
            "<html><head><title>Hung</title></head><body><p>Before the loop</p><script>while (true) {}</script><p>After</p></body></html>", Html));

        app.MapGet("/download.html", () => Results.Content("""
            <html><head><title>Download</title></head><body><p>Your file is coming</p>
            <a id="dl" href="/file.bin" download="file.bin">file</a>
            <script>document.getElementById('dl').click();</script></body></html>
            """, Html));
        app.MapGet("/file.bin", (HttpContext context) =>
        {
            context.Response.Headers.ContentDisposition = "attachment; filename=\"file.bin\"";
            return Results.Bytes(new byte[64 * 1024], "application/octet-stream");
        });
    }

    private static async Task HangAsync(HttpContext context)
    {
        try { await Task.Delay(Timeout.Infinite, context.RequestAborted); }
        catch (OperationCanceledException) { }
    }
}
