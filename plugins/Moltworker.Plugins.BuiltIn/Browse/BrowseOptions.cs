namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary><c>Moltworker:Browse</c>: the headless browser behind <c>browse_url</c>.</summary>
public sealed class BrowseOptions
{
    public const string Section = "Moltworker:Browse";

    /// <summary>The Chromium executable (Debian's <c>chromium</c> package installs <c>/usr/bin/chromium</c>). When it is
    /// missing, <c>browse_url</c> says so and suggests <c>fetch_url</c>; the host still starts.</summary>
    public string ExecutablePath { get; set; } = "/usr/bin/chromium";

    /// <summary>Pages open at once at most; further calls wait for a free page (within their timeout).</summary>
    public int MaxPages { get; set; } = 4;

    /// <summary>The whole call at most once Chromium runs (starting it is bounded by <see cref="LaunchTimeout"/>): waiting
    /// for a page, loading, settling and reading. A page still busy then is closed (its renderer killed) and the call
    /// fails.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>After the document has loaded, how long to wait for the network to go quiet (see <see cref="QuietTime"/>)
    /// before reading the text anyway.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The page has settled when no request has been in flight for this long.</summary>
    public TimeSpan QuietTime { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Keep one page (a fresh context and its renderer, never used) open ahead of the next call, so a call does
    /// not wait for it (150–300 ms). Costs one idle renderer process while the browser runs.</summary>
    public bool SparePage { get; set; } = true;

    /// <summary>How long starting Chromium may take.</summary>
    public TimeSpan LaunchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Characters of text handed to the model at most (as <c>fetch_url</c>'s <c>MaxChars</c>).</summary>
    public int MaxChars { get; set; } = 20_000;

    /// <summary>When not empty, only page URLs starting with one of these prefixes are loaded (sub-requests too).</summary>
    public List<string> AllowPrefixes { get; set; } = [];

    /// <summary>URLs starting with one of these prefixes are refused, for the page and every request it makes.</summary>
    public List<string> DenyPrefixes { get; set; } = [];

    /// <summary>TEST ONLY: a loopback port the SSRF guard lets through (so tests can serve pages on 127.0.0.1).
    /// Never set this in production; 0 (the default) allows no loopback at all.</summary>
    public int TestOnlyAllowLoopbackPort { get; set; }

    /// <summary>Null when valid, otherwise what is wrong.</summary>
    public string? Problem() =>
        MaxPages < 1 ? "Moltworker:Browse:MaxPages must be at least 1"
        : Timeout <= TimeSpan.Zero ? "Moltworker:Browse:Timeout must be positive"
        : SettleTime < TimeSpan.Zero ? "Moltworker:Browse:SettleTime must not be negative"
        : QuietTime < TimeSpan.Zero ? "Moltworker:Browse:QuietTime must not be negative"
        : LaunchTimeout <= TimeSpan.Zero ? "Moltworker:Browse:LaunchTimeout must be positive"
        : MaxChars < 1 ? "Moltworker:Browse:MaxChars must be at least 1"
        : string.IsNullOrWhiteSpace(ExecutablePath) ? "Moltworker:Browse:ExecutablePath must not be empty"
        : null;
}
