using System.Net;
using Microsoft.Playwright;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Web;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary>
/// Request interception for one browser context: every request the page makes (document, sub-resources, fetch, XHR)
/// is checked against the URL rules and the SSRF guard before it leaves, and aborted with the reason recorded when
/// refused. WebSockets to a refused literal address are closed before connecting; WebSockets to names are checked
/// where they connect, by <see cref="GuardProxy"/>.
/// </summary>
internal sealed class RequestGuard(SsrfGuard guard, UrlRules rules, AddressPolicy policy, BlockedRequests blocked)
{
    public async Task AttachAsync(IBrowserContext context)
    {
        await context.RouteAsync("**/*", HandleAsync).ConfigureAwait(false);
        await context.RouteWebSocketAsync("**/*", HandleWebSocket).ConfigureAwait(false);
    }

    private async Task HandleAsync(IRoute route)
    {
        try
        {
            if (await RefusalAsync(route.Request.Url).ConfigureAwait(false) is { } why)
            {
                blocked.Add(why);
                await route.AbortAsync("blockedbyclient").ConfigureAwait(false);
                return;
            }
            await route.ContinueAsync().ConfigureAwait(false);
        }
        catch (PlaywrightException)
        {
            // The page or its context closed while the request waited: nothing left to route.
        }
    }

    private void HandleWebSocket(IWebSocketRoute socket)
    {
        if (StaticRefusal(socket.Url) is { } why)
        {
            blocked.Add(why);
            _ = socket.CloseAsync(new() { Code = 1008, Reason = "blocked by the SSRF guard" });
            return;
        }
        socket.ConnectToServer();
    }

    private async Task<string?> RefusalAsync(string url)
    {
        if (StaticRefusal(url) is { } why) return why;
        var uri = new Uri(url);
        if (uri.Scheme is not ("http" or "https")) return null; // data:, blob: and about: never reach the network
        try
        {
            await guard.CheckAsync(uri, CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (SsrfRefusedException ex)
        {
            return $"{Redact(uri)}: {ex.Message}";
        }
        catch (ToolException)
        {
            return null; // unresolvable: the browser fails it on its own
        }
    }

    /// <summary>What can be decided without DNS: scheme, URL rules, literal addresses.</summary>
    private string? StaticRefusal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return $"{url}: not a valid URL";
        if (uri.Scheme is "data" or "blob" or "about") return null;
        if (uri.Scheme is not ("http" or "https" or "ws" or "wss")) return $"{Redact(uri)}: {uri.Scheme}: URLs are not fetched";
        var httpUri = uri.Scheme is "ws" or "wss" ? new UriBuilder(uri) { Scheme = uri.Scheme == "ws" ? "http" : "https", Port = uri.Port }.Uri : uri;
        if (rules.Refusal(httpUri) is { } rule) return $"{Redact(uri)}: {rule}";
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && policy.Refusal(address, uri.Port) is { } kind)
            return $"{Redact(uri)}: a {kind} address";
        return null;
    }

    /// <summary>Scheme, host, port and path: query strings may carry keys.</summary>
    private static string Redact(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}
