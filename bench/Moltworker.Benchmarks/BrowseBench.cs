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
    /// <summary>Spaced: a call with the browser idle and its spare page ready, as a chat's calls come (the second
    /// between calls is not timed). Back to back: each call starts as the last ends, so the spare page for it is still
    /// opening and competes with the call for the CPU.</summary>
    public sealed record Numbers(double SpacedMedianMs, double SpacedP95Ms, double BackToBackMedianMs, double BackToBackP95Ms,
        long MemoryBytes, int Processes);

    public static async Task<Numbers> RunAsync(string pageUrl, int loopbackPort)
    {
        await using var host = new BrowserHost(Options.Create(new BrowseOptions { TestOnlyAllowLoopbackPort = loopbackPort }));
        var plugin = new BrowsePlugin(NullLogger<BrowsePlugin>.Instance, TimeProvider.System, host);
        await plugin.BrowseUrlAsync(pageUrl); // starts Chromium: not timed
        var spaced = await TimeCallsAsync(plugin, pageUrl, TimeSpan.FromSeconds(1));
        var backToBack = await TimeCallsAsync(plugin, pageUrl, TimeSpan.Zero);

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
        return new Numbers(spaced[spaced.Count / 2], spaced[(int)(spaced.Count * 0.95)],
            backToBack[backToBack.Count / 2], backToBack[(int)(backToBack.Count * 0.95)], bytes, processes);
    }

    private static async Task<List<double>> TimeCallsAsync(BrowsePlugin plugin, string pageUrl, TimeSpan between)
    {
        var times = new List<double>();
        var watch = new Stopwatch();
        for (var i = 0; i < 30; i++)
        {
            if (between > TimeSpan.Zero) await Task.Delay(between);
            watch.Restart();
            await plugin.BrowseUrlAsync(pageUrl);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times;
    }
}
