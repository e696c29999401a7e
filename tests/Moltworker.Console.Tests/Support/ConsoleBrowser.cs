using Microsoft.Playwright;

namespace Moltworker.Console.Tests.Support;

/// <summary>
/// Debian's headless Chromium (<see cref="ExecutablePath"/>, as the built-in browse tool starts it) driven by
/// Playwright, with one page that records every page error and console error: <see cref="AssertNoErrors"/> fails a
/// test that caused any. Expectations wait with Playwright's own auto-waiting (<see cref="ExpectTimeout"/>), never sleeps.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";
    public static readonly float ExpectTimeout = 20_000;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _errors = [];

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        page.PageError += (_, error) => Record($"page error: {error}");
        page.Console += (_, message) => { if (message.Type == "error") Record($"console error: {message.Text}"); };
    }

    public IPage Page { get; }

    /// <summary>Errors the page reported so far.</summary>
    public IReadOnlyList<string> Errors { get { lock (_errors) return _errors.ToList(); } }

    public static async Task<ConsoleBrowser> OpenAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"Chromium is not installed at {ExecutablePath} (apt-get install chromium; .ci/run installs it)");
        Assertions.SetDefaultExpectTimeout(ExpectTimeout);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--disable-dev-shm-usage", "--disable-extensions", "--no-first-run", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(ExpectTimeout);
        return new ConsoleBrowser(playwright, browser, page);
    }

    /// <summary>Opens the console at <paramref name="url"/> and waits until it says it is ready (<c>body[data-ready]</c>).</summary>
    public async Task GotoAsync(string url)
    {
        await Page.GotoAsync(url);
        await Assertions.Expect(Page.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
    }

    /// <summary>Fails when the page reported an error, other than those containing one of <paramref name="expected"/>.</summary>
    public void AssertNoErrors(params string[] expected)
    {
        var errors = Errors.Where(e => !expected.Any(x => e.Contains(x, StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "The page reported errors:\n" + string.Join("\n", errors));
    }

    private void Record(string error)
    {
        lock (_errors) _errors.Add(error);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
