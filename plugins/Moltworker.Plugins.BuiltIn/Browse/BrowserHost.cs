using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Web;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary>
/// The one headless Chromium of the process, driven over the DevTools protocol by Playwright: started on first use,
/// reused by every call (started again if it died), closed with the host. At most <see cref="BrowseOptions.MaxPages"/>
/// pages are open at once. Downloads go nowhere: contexts refuse them, and the launch's download folder is a fresh
/// empty folder deleted on dispose. With <see cref="BrowseOptions.SparePage"/>, one <see cref="IsolatedPage"/> is
/// opened ahead of the next call (a new context and its renderer take 150–300 ms), and again after each call.
/// </summary>
public sealed partial class BrowserHost : IAsyncDisposable
{
    private readonly BrowseOptions _options;
    private readonly ILogger<BrowserHost> _logger;
    private readonly SemaphoreSlim _launch = new(1, 1);
    private readonly SemaphoreSlim _pages;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private Task<IsolatedPage>? _spare;
    private volatile bool _disposed;

    public BrowserHost(IOptions<BrowseOptions> options, ILogger<BrowserHost>? logger = null)
    {
        _options = options.Value;
        _logger = logger ?? NullLogger<BrowserHost>.Instance;
        _pages = new SemaphoreSlim(Math.Max(1, _options.MaxPages));
        Policy = new AddressPolicy(_options.TestOnlyAllowLoopbackPort);
        Guard = new SsrfGuard(Policy, SsrfGuard.ResolveWithDns);
        Rules = new UrlRules(_options.AllowPrefixes, _options.DenyPrefixes);
    }

    public BrowseOptions Options => _options;

    /// <summary>Which addresses pages may reach (public only, plus the test-only loopback port).</summary>
    internal AddressPolicy Policy { get; }

    /// <summary>The SSRF guard every page URL, request and connection goes through.</summary>
    internal SsrfGuard Guard { get; }

    /// <summary><see cref="BrowseOptions.AllowPrefixes"/> and <see cref="BrowseOptions.DenyPrefixes"/>.</summary>
    internal UrlRules Rules { get; }

    /// <summary>A never-used page for one call: the spare when there is a usable one (waiting for it if it is still
    /// opening), otherwise a new one. Call it holding a slot (<see cref="AcquirePageAsync"/>); give the page back with
    /// <see cref="ClosePageAsync"/>.</summary>
    internal async Task<IsolatedPage> TakePageAsync(CancellationToken cancellationToken)
    {
        var spare = Interlocked.Exchange(ref _spare, null);
        if (spare is not null)
        {
            try
            {
                var page = await spare.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (page.Usable) return page;
                await page.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is PlaywrightException or ToolException or TimeoutException)
            {
                // The spare failed (the browser died while it opened): open one now, which restarts the browser.
            }
            catch (OperationCanceledException)
            {
                _ = spare.ContinueWith(static async t => await t.Result.DisposeAsync().ConfigureAwait(false), TaskContinuationOptions.OnlyOnRanToCompletion);
                throw;
            }
        }
        var browser = await BrowserAsync(cancellationToken).ConfigureAwait(false);
        return await IsolatedPage.OpenAsync(browser, Guard, Rules, Policy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes a page taken with <see cref="TakePageAsync"/> (its context, renderer, cookies and storage go with
    /// it), then opens the spare for the next call. Opening the spare only now keeps it from competing with the call for
    /// the CPU. Returns why the context did not close, or null.</summary>
    internal async Task<string?> ClosePageAsync(IsolatedPage page)
    {
        var failure = await page.CloseAsync().ConfigureAwait(false);
        PrepareSpare();
        return failure;
    }

    private void PrepareSpare()
    {
        if (!_options.SparePage || _disposed || Volatile.Read(ref _spare) is not null) return;
        var opening = OpenSpareAsync();
        if (Interlocked.CompareExchange(ref _spare, opening, null) is not null)
            _ = opening.ContinueWith(static async t => await t.Result.DisposeAsync().ConfigureAwait(false), TaskContinuationOptions.OnlyOnRanToCompletion);
        _ = opening.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    private async Task<IsolatedPage> OpenSpareAsync()
    {
        await Task.Yield(); // off the caller's path
        using var bound = new CancellationTokenSource(_options.Timeout);
        try
        {
            var browser = await BrowserAsync(bound.Token).ConfigureAwait(false);
            return await IsolatedPage.OpenAsync(browser, Guard, Rules, Policy, bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new TimeoutException("the spare page did not open in time"); // the taker opens a page itself
        }
    }

    /// <summary>Where Chromium would put downloads (created at launch, always empty: contexts refuse downloads).</summary>
    internal string DownloadsPath { get; } = Path.Combine(Path.GetTempPath(), "moltworker-browse-" + Guid.NewGuid().ToString("N"));

    /// <summary>Waits for one of the <see cref="BrowseOptions.MaxPages"/> page slots; dispose the result to free it.</summary>
    internal async Task<IDisposable> AcquirePageAsync(CancellationToken cancellationToken)
    {
        await _pages.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_pages);
    }

    /// <summary>The running browser, started when there is none (or it died).</summary>
    internal async Task<IBrowser> BrowserAsync(CancellationToken cancellationToken)
    {
        if (_browser is { IsConnected: true } running) return running;
        await _launch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_browser is { IsConnected: true } again) return again;
            if (!File.Exists(_options.ExecutablePath))
                throw new ToolException($"browse_url is unavailable: Chromium is not installed at {_options.ExecutablePath} " +
                                        "(install Debian's chromium package, or set Moltworker:Browse:ExecutablePath). Use fetch_url to read the page without a browser.");
            if (_browser is not null) await _browser.DisposeAsync().ConfigureAwait(false);
            Directory.CreateDirectory(DownloadsPath);
            _playwright ??= await Playwright.CreateAsync().ConfigureAwait(false);
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = _options.ExecutablePath,
                Headless = true,
                DownloadsPath = DownloadsPath,
                Timeout = (float)_options.LaunchTimeout.TotalMilliseconds,
                Args = ["--disable-dev-shm-usage", "--disable-extensions", "--no-first-run", "--disable-sync"],
            }).ConfigureAwait(false);
            LogLaunched(_options.ExecutablePath, _browser.Version);
            return _browser;
        }
        catch (PlaywrightException ex)
        {
            var reason = ex.Message.Split('\n', 2)[0];
            LogLaunchFailed(_options.ExecutablePath, reason);
            throw new ToolException($"browse_url is unavailable: Chromium did not start ({reason}). Use fetch_url to read the page without a browser.", inner: ex);
        }
        finally
        {
            _launch.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (Interlocked.Exchange(ref _spare, null) is { } spare)
        {
            try { await (await spare.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false); }
            catch (Exception ex) when (ex is PlaywrightException or ToolException or TimeoutException or OperationCanceledException) { /* never opened */ }
        }
        if (_browser is not null)
        {
            try { await _browser.CloseAsync().ConfigureAwait(false); }
            catch (PlaywrightException) { /* already gone */ }
        }
        _playwright?.Dispose();
        try { if (Directory.Exists(DownloadsPath)) Directory.Delete(DownloadsPath, recursive: true); }
        catch (IOException) { /* best effort */ }
        _launch.Dispose();
        _pages.Dispose();
    }

    private sealed class Slot(SemaphoreSlim pages) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) pages.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "browse_url started Chromium {Version} from {Path}")]
    private partial void LogLaunched(string path, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "browse_url could not start Chromium from {Path}: {Reason}")]
    private partial void LogLaunchFailed(string path, string reason);
}
