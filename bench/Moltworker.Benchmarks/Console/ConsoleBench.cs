using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Moltworker.Host.Composition;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Benchmarks;   // not ….Console: that namespace would hide System.Console from the other benchmarks

/// <summary>
/// <c>console</c>: the web console's first load in headless Chromium (Debian's <c>/usr/bin/chromium</c>, through
/// Playwright) from the host in this process on loopback, with one finished turn in its task list. Each of
/// <c>--loads</c> loads uses a new browser context (an empty cache) and opens <c>/</c>; then the same page is reloaded
/// (a warm cache: unchanged files are 304s). Bytes transferred are what Chromium reports per response (headers and
/// the encoded body) for everything the load fetched, the page, its files and its API calls; interactive is the
/// <c>console-ready</c> performance mark (the first page drawn, the API answered, handlers attached), measured from
/// navigation start.
/// </summary>
public sealed class ConsoleBench : IBench
{
    public string Name => "console";

    public async Task<int> RunAsync(string[] args)
    {
        var loads = IntArg(args, "--loads", 20);
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Responder = _ => ScriptedReply.Answer("hello from the bench");
        var data = Directory.CreateTempSubdirectory("mw-console-bench-");
        var app = WebHostFactory.Build(
        [
            "--urls=http://127.0.0.1:0", $"--Moltworker:DataDirectory={data.FullName}", $"--Moltworker:Plugins:Directory={data.CreateSubdirectory("plugins").FullName}",
            $"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=gpt-4o-mini", "--Moltworker:Llm:ApiKey=sk-bench",
            "--Moltworker:Api:RateLimit:Enabled=false", "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        try
        {
            var url = app.Urls.First();
            using (var http = new HttpClient { BaseAddress = new Uri(url) })
                (await http.PostAsJsonAsync("/api/chat", new { chatId = "bench", text = "hello" })).EnsureSuccessStatusCode();

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--disable-dev-shm-usage", "--disable-extensions", "--no-first-run"],
            });
            Console.WriteLine($"console bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, Chromium {browser.Version}");

            await LoadAsync(browser, url, reload: false);   // warm-up: JIT of the host's routes, Chromium's first process
            var cold = new List<Load>();
            var warm = new List<Load>();
            for (var i = 0; i < loads; i++)
            {
                cold.Add(await LoadAsync(browser, url, reload: false));
                warm.Add(await LoadAsync(browser, url, reload: true));
            }
            Report("first load (empty cache)", cold);
            Report("reload (warm cache)     ", warm);
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { data.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private sealed record Load(int Requests, long Bytes, long AssetBytes, double InteractiveMs, double LoadEventMs);

    private static async Task<Load> LoadAsync(IBrowser browser, string url, bool reload)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        if (reload)
        {
            await page.GotoAsync(url + "/");
            await page.Locator("body[data-ready=true]").WaitForAsync();
        }
        var responses = new List<IResponse>();
        page.Response += (_, r) => { lock (responses) responses.Add(r); };
        if (reload) await page.ReloadAsync();
        else await page.GotoAsync(url + "/");
        await page.Locator("body[data-ready=true]").WaitForAsync();
        var interactive = await page.EvaluateAsync<double>("performance.getEntriesByName('console-ready')[0].startTime");
        var loadEvent = await page.EvaluateAsync<double>("performance.getEntriesByType('navigation')[0].loadEventEnd");
        long bytes = 0, assets = 0;
        List<IResponse> seen;
        lock (responses) seen = responses.ToList();
        foreach (var response in seen)
        {
            var sizes = await response.Request.SizesAsync();
            var size = sizes.ResponseHeadersSize + Math.Max(0, sizes.ResponseBodySize);
            bytes += size;
            if (!response.Url.Contains("/api/", StringComparison.Ordinal)) assets += size;
        }
        return new Load(seen.Count, bytes, assets, interactive, loadEvent);
    }

    private static void Report(string what, List<Load> loads)
    {
        var interactive = loads.Select(l => l.InteractiveMs).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {loads[0].Requests} responses, {loads.Average(l => l.Bytes) / 1024:F1} KB transferred (page and files {loads.Average(l => l.AssetBytes) / 1024:F1} KB), " +
            $"interactive p50 {Percentile(interactive, 50):F0} ms, max {interactive[^1]:F0} ms, load event p50 {Percentile(loads.Select(l => l.LoadEventMs).Order().ToList(), 50):F0} ms ({loads.Count} loads)"));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
