using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Moltworker.Plugins.BuiltIn.Browse;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Testing.Hosting;

namespace Moltworker.Plugins.Tests.Browse;

/// <summary>One page server, one "secret" loopback service and one real Chromium (Debian's, started on first use and
/// shared by the class's tests, as the host shares it).</summary>
public sealed class BrowseFixture : IAsyncLifetime
{
    private WebApplication _pages = null!;

    public SecretServer Secret { get; } = new();
    public Uri Pages { get; private set; } = null!;
    public BrowserHost Browser { get; private set; } = null!;
    public BrowsePlugin Plugin { get; private set; } = null!;

    /// <summary>A generous call timeout: CI runs other test assemblies beside Chromium on two cores. The hung-page test
    /// uses its own browser with a short one (<see cref="Impatient"/>).</summary>
    public static BrowseOptions Options(int pagesPort, TimeSpan? timeout = null) => new()
    {
        TestOnlyAllowLoopbackPort = pagesPort,
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
        SettleTime = TimeSpan.FromSeconds(3),
        MaxPages = 2,
    };

    /// <summary>A second Chromium whose calls time out after <paramref name="timeout"/>.</summary>
    public BrowserHost Impatient(TimeSpan timeout) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(Pages.Port, timeout)));

    public async Task InitializeAsync()
    {
        (_pages, Pages) = await LoopbackApp.StartAsync(app => BrowsePages.Map(app, () => Secret.Port));
        Browser = new BrowserHost(Microsoft.Extensions.Options.Options.Create(Options(Pages.Port)));
        Plugin = new BrowsePlugin(Log.For<BrowsePlugin>(), TimeProvider.System, Browser);
    }

    public string Url(string path) => new Uri(Pages, path).AbsoluteUri;

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await _pages.DisposeAsync();
        await Secret.DisposeAsync();
    }
}
