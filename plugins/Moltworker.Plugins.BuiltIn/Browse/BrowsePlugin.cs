using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Web;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary><c>browse_url</c>: a page loaded in headless Chromium (scripts run), its rendered text returned. One fresh
/// context per call (no cookies or storage survive it), every request behind the SSRF guard, downloads refused.</summary>
[Plugin("Browse", Description = "Reads web pages that need JavaScript, in a headless browser, behind the SSRF guard.")]
public sealed partial class BrowsePlugin
{
    private readonly BrowserHost _browser;
    private readonly BrowseOptions _options;
    private readonly ILogger<BrowsePlugin> _logger;
    private readonly TimeProvider _time;

    /// <summary>The host's shared <see cref="BrowserHost"/> (<c>AddBrowse</c>); without one, a browser with default settings.</summary>
    public BrowsePlugin(ILogger<BrowsePlugin> logger, TimeProvider time, BrowserHost? browser = null)
    {
        _browser = browser ?? new BrowserHost(Microsoft.Extensions.Options.Options.Create(new BrowseOptions()));
        _options = _browser.Options;
        _logger = logger;
        _time = time;
        if (_options.TestOnlyAllowLoopbackPort > 0) LogTestSeam(_options.TestOnlyAllowLoopbackPort);
    }

    [Tool("browse_url", ParallelSafe = true)]
    [Description("Loads a public http(s) page in a headless browser (JavaScript runs), waits until it settles and returns its readable text, " +
                 "and a screenshot when asked. Slower than fetch_url: use it for pages that only render with JavaScript.")]
    public async Task<IReadOnlyList<AIContent>> BrowseUrlAsync(
        [Description("Absolute http or https URL")] string url,
        [Description("Also return a JPEG screenshot of the visible page (only useful to a model that reads images)")] bool screenshot = false,
        CancellationToken cancellationToken = default)
    {
        var result = await BrowseAsync(url, screenshot, cancellationToken).ConfigureAwait(false);
        var text = new TextContent(result.Format());
        return result.Screenshot is { } jpeg ? [text, new DataContent(jpeg, "image/jpeg")] : [text];
    }

    /// <summary>The call behind the tool: what was read, and the screenshot when asked.</summary>
    internal async Task<BrowseResult> BrowseAsync(string url, bool screenshot, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ToolException($"not an absolute http(s) URL: {url}");
        try
        {
            if (_browser.Rules.Refusal(uri) is { } why) throw new SsrfRefusedException(why);
            await _browser.Guard.CheckAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (SsrfRefusedException ex)
        {
            LogRefused(uri.GetLeftPart(UriPartial.Path), ex.Message);
            throw;
        }

        // Starting Chromium has its own bound (LaunchTimeout); the call's Timeout starts once it runs.
        await _browser.BrowserAsync(cancellationToken).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var started = _time.GetTimestamp();
        IsolatedPage? isolated = null;
        try
        {
            using var slot = await _browser.AcquirePageAsync(linked.Token).ConfigureAwait(false);
            isolated = await _browser.TakePageAsync(linked.Token).ConfigureAwait(false);
            var page = isolated.Page;
            var downloads = new ConcurrentQueue<string>();
            page.Download += (_, download) => downloads.Enqueue(download.Url);
            using var network = new NetworkQuiet(page, _time);
            var reading = PageReader.ReadAsync(page, network, uri, _options, screenshot, isolated.Blocked, downloads, linked.Token);
            _ = reading.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
            var result = await reading.WaitAsync(linked.Token).ConfigureAwait(false);
            LogBrowsed(uri.GetLeftPart(UriPartial.Path), result.Status ?? 0, result.Blocked.Count, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(uri.GetLeftPart(UriPartial.Path), _options.Timeout.TotalSeconds);
            throw new ToolException($"browse_url gave up on {uri.AbsoluteUri}: the page did not finish within {_options.Timeout.TotalSeconds:0.#} s " +
                                    "and was closed. fetch_url may still read its HTML.", transient: true);
        }
        finally
        {
            // Closing the context kills its page (a hung renderer too) and drops cookies and storage.
            if (isolated is not null && await _browser.ClosePageAsync(isolated).ConfigureAwait(false) is { } failure) LogCloseFailed(failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "browse_url {Url} -> {Status}, {Blocked} blocked, {Milliseconds} ms")]
    private partial void LogBrowsed(string url, int status, int blocked, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "browse_url refused {Url}: {Reason}")]
    private partial void LogRefused(string url, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "browse_url closed {Url}: not finished within {Seconds} s")]
    private partial void LogTimedOut(string url, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "browse_url could not close a browser context: {Reason}")]
    private partial void LogCloseFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "browse_url lets loopback port {Port} through the SSRF guard (Moltworker:Browse:TestOnlyAllowLoopbackPort is for tests only)")]
    private partial void LogTestSeam(int port);
}
