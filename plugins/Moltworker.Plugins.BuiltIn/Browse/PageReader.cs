using Microsoft.Playwright;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Web;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary>Loads one URL in an open page, waits for it to settle (no request in flight for
/// <see cref="BrowseOptions.QuietTime"/>, within <see cref="BrowseOptions.SettleTime"/>), and reads the rendered DOM
/// through the same HTML-to-text path and cap as <c>fetch_url</c>.</summary>
internal static class PageReader
{
    public static async Task<BrowseResult> ReadAsync(IPage page, NetworkQuiet network, Uri uri, BrowseOptions options,
        bool screenshot, BlockedRequests blocked, IReadOnlyCollection<string> downloads, CancellationToken cancellationToken)
    {
        IResponse? response;
        try
        {
            response = await page.GotoAsync(uri.AbsoluteUri, new PageGotoOptions
            {
                WaitUntil = WaitUntilState.DOMContentLoaded,
                Timeout = 0, // the call's own deadline closes the context instead
            }).ConfigureAwait(false);
        }
        catch (PlaywrightException ex) when (ex.Message.Contains("Download is starting", StringComparison.Ordinal))
        {
            throw new ToolException($"{uri.AbsoluteUri} is a file download; browse_url refuses downloads (nothing was saved). fetch_url with HEAD shows what it is.");
        }
        catch (PlaywrightException ex)
        {
            var reason = ex.Message.Split('\n', 2)[0];
            var guard = blocked.Entries.Count > 0 ? $"; blocked by the SSRF guard: {string.Join("; ", blocked.Entries)}" : "";
            throw new ToolException($"browse_url could not load {uri.AbsoluteUri}: {reason}{guard}");
        }

        var settled = await network.WaitAsync(options.QuietTime, options.SettleTime, cancellationToken).ConfigureAwait(false);

        // The main world's outerHTML: Playwright's ContentAsync builds a utility world first (60-180 ms on a new page).
        var html = await page.EvaluateAsync<string>("() => document.documentElement ? document.documentElement.outerHTML : ''").ConfigureAwait(false);
        var finalUrl = Uri.TryCreate(page.Url, UriKind.Absolute, out var final) ? final : uri;
        var text = HtmlText.Convert(html, finalUrl);
        var cut = text.Length > options.MaxChars;
        if (cut) text = text[..options.MaxChars];
        var image = screenshot
            ? await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Jpeg, Quality = 70, Timeout = 5000 }).ConfigureAwait(false)
            : null;
        return new BrowseResult(finalUrl, response?.Status, text, cut, options.MaxChars, settled, options.SettleTime,
            blocked.Entries, [.. downloads], image);
    }
}
