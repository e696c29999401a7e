using Microsoft.Playwright;
using Moltworker.Plugins.BuiltIn.Web;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary>
/// One never-used page in its own browser context, wired for one <c>browse_url</c> call: downloads refused, service
/// workers blocked, every request behind <see cref="RequestGuard"/> and every connection through its own
/// <see cref="GuardProxy"/>, with the list of what they blocked. Disposing it closes the context (killing the page's
/// renderer, hung or not, and dropping cookies and storage) and stops the proxy.
/// </summary>
internal sealed class IsolatedPage : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private IsolatedPage(GuardProxy proxy, BlockedRequests blocked, IBrowserContext context, IPage page)
    {
        Proxy = proxy;
        Blocked = blocked;
        Context = context;
        Page = page;
    }

    public GuardProxy Proxy { get; }
    public BlockedRequests Blocked { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }

    /// <summary>False once its browser died or the page was closed.</summary>
    public bool Usable => Context.Browser is { IsConnected: true } && !Page.IsClosed;

    public static async Task<IsolatedPage> OpenAsync(IBrowser browser, SsrfGuard guard, UrlRules rules, AddressPolicy policy,
        CancellationToken cancellationToken)
    {
        var blocked = new BlockedRequests();
        var proxy = new GuardProxy(guard, blocked);
        IBrowserContext? context = null;
        try
        {
            context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                AcceptDownloads = false,
                ServiceWorkers = ServiceWorkerPolicy.Block,
                Proxy = new Proxy { Server = proxy.Address, Bypass = "<-loopback>" },
            }).WaitAsync(cancellationToken).ConfigureAwait(false);
            await new RequestGuard(guard, rules, policy, blocked).AttachAsync(context).ConfigureAwait(false);
            var page = await context.NewPageAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return new IsolatedPage(proxy, blocked, context, page);
        }
        catch
        {
            if (context is not null) await CloseAsync(context).ConfigureAwait(false);
            await proxy.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    /// <summary>Closes the context and stops the proxy; the reason when the context did not close (it is then left to
    /// the browser), otherwise null.</summary>
    public async Task<string?> CloseAsync()
    {
        var failure = await CloseAsync(Context).ConfigureAwait(false);
        await Proxy.DisposeAsync().ConfigureAwait(false);
        return failure;
    }

    private static async Task<string?> CloseAsync(IBrowserContext context)
    {
        try
        {
            await context.CloseAsync().WaitAsync(CloseTimeout).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            return ex.Message.Split('\n', 2)[0];
        }
    }
}
