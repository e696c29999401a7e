using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Moltworker.Plugins.BuiltIn.Browse;

namespace Moltworker.Benchmarks;

/// <summary>browse_url on a loopback page with a warm browser, and Chromium's memory with 4 pages open (one context
/// each, as browse_url opens them). Part of <see cref="BuiltInPluginsBench"/>.</summary>
internal static class BrowseBench
{
    public sealed record Numbers(double MedianMs, double P95Ms, long MemoryBytes, int Processes);

    public static async Task<Numbers> RunAsync(string pageUrl, int loopbackPort)
    {
        await using var host = new BrowserHost(Options.Create(new BrowseOptions { TestOnlyAllowLoopbackPort = loopbackPort }));
        var plugin = new BrowsePlugin(NullLogger<BrowsePlugin>.Instance, TimeProvider.System, host);
        await plugin.BrowseUrlAsync(pageUrl); // starts Chromium: not timed
        var times = new List<double>();
        var watch = new Stopwatch();
        for (var i = 0; i < 30; i++)
        {
            watch.Restart();
            await plugin.BrowseUrlAsync(pageUrl);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();

        var browser = await host.BrowserAsync(CancellationToken.None);
        var contexts = new List<IBrowserContext>();
        for (var i = 0; i < 4; i++)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = false });
            var page = await context.NewPageAsync();
            await page.GotoAsync(pageUrl, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            contexts.Add(context);
        }
        var (bytes, processes) = ProcessTreeMemory.PssOfDescendants("chromium");
        foreach (var context in contexts) await context.CloseAsync();
        return new Numbers(times[times.Count / 2], times[(int)(times.Count * 0.95)], bytes, processes);
    }
}
