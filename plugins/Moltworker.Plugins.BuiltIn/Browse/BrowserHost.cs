using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary>
/// The one headless Chromium of the process, driven over the DevTools protocol by Playwright: started on first use,
/// reused by every call (started again if it died), closed with the host. At most <see cref="BrowseOptions.MaxPages"/>
/// pages are open at once. Downloads go nowhere: contexts refuse them, and the launch's download folder is a fresh
/// empty folder deleted on dispose.
/// </summary>
public sealed partial class BrowserHost : IAsyncDisposable
{
    private readonly BrowseOptions _options;
    private readonly ILogger<BrowserHost> _logger;
    private readonly SemaphoreSlim _launch = new(1, 1);
    private readonly SemaphoreSlim _pages;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public BrowserHost(IOptions<BrowseOptions> options, ILogger<BrowserHost>? logger = null)
    {
        _options = options.Value;
        _logger = logger ?? NullLogger<BrowserHost>.Instance;
        _pages = new SemaphoreSlim(Math.Max(1, _options.MaxPages));
    }

    public BrowseOptions Options => _options;

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
