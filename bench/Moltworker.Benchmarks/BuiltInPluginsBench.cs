using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;
using Moltworker.Plugins.BuiltIn;
using Moltworker.Plugins.BuiltIn.Calculator;
using Moltworker.Plugins.BuiltIn.Web;
using Moltworker.Testing.Kernel;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Benchmarks;

/// <summary>Built-in plugins: calculator throughput, HTML-to-text throughput, fetch_url latency over loopback, browse_url
/// latency with a warm Chromium and its memory with 4 pages open, and
/// /briefing latency through the real kernel with three sources that each answer in 300 ms.</summary>
public sealed class BuiltInPluginsBench : IBench
{
    public string Name => "builtin-plugins";

    public async Task<int> RunAsync(string[] args)
    {
        await using var server = await UpstreamServer.StartAsync();

        const string expression = "(3 + 4) * 2 ^ 3 / sqrt(16) - max(1, 2, 3) % 2 + round(2.345, 2)";
        const int evaluations = 200_000;
        ExpressionEvaluator.Evaluate(expression);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < evaluations; i++) ExpressionEvaluator.Evaluate(expression);
        var calcPerSecond = evaluations / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"calculate: {calcPerSecond:N0} evaluations/s");

        var html = new StringBuilder("<html><head><title>bench</title></head><body>");
        while (html.Length < 100_000) html.Append("<h2>Section</h2><p>Some <b>bold</b> text and a <a href=\"/x\">link</a>.</p><ul><li>one</li><li>two</li></ul><script>var x = 1;</script>");
        html.Append("</body></html>");
        var page = html.ToString();
        var baseUri = new Uri("https://example.com/");
        HtmlText.Convert(page, baseUri);
        const int conversions = 100;
        watch.Restart();
        for (var i = 0; i < conversions; i++) HtmlText.Convert(page, baseUri);
        var htmlMbPerSecond = conversions * page.Length / 1_000_000.0 / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"html to text: {htmlMbPerSecond:N1} MB/s ({page.Length / 1000} KB page)");

        using var web = new WebPlugin(new WebOptions { TestOnlyAllowLoopbackPort = server.Port }, NullLogger<WebPlugin>.Instance, TimeProvider.System);
        var url = $"{server.BaseUrl}/web/page.html";
        await web.FetchUrlAsync(url);
        var fetches = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            watch.Restart();
            await web.FetchUrlAsync(url);
            fetches.Add(watch.Elapsed.TotalMilliseconds);
        }
        var fetchMedian = Percentile(fetches, 0.5);
        var fetchP95 = Percentile(fetches, 0.95);
        Console.WriteLine($"fetch_url over loopback (guard + HTML to text): median {fetchMedian:N2} ms, p95 {fetchP95:N2} ms");

        var browse = await BrowseBench.RunAsync(url, server.Port);
        Console.WriteLine($"browse_url on a loopback page, warm browser, calls 1 s apart: median {browse.SpacedMedianMs:N0} ms, p95 {browse.SpacedP95Ms:N0} ms");
        Console.WriteLine($"browse_url on a loopback page, warm browser, back to back: median {browse.BackToBackMedianMs:N0} ms, p95 {browse.BackToBackP95Ms:N0} ms");
        Console.WriteLine($"Chromium with 4 pages open: {browse.MemoryBytes / 1048576.0:N0} MiB PSS in {browse.Processes} processes");

        var settings = new Dictionary<string, string?>
        {
            ["Moltworker:Plugins:Weather:GeocodingBaseUrl"] = server.BaseUrl,
            ["Moltworker:Plugins:Weather:ForecastBaseUrl"] = server.BaseUrl,
            ["Moltworker:Plugins:Crypto:BaseUrl"] = server.BaseUrl,
            ["Moltworker:Plugins:News:HackerNewsBaseUrl"] = server.BaseUrl,
        };
        await using var kernel = TestKernel.Create(plugins: BuiltInPlugins.Types, settings: settings, withFilters: true);
        var runner = kernel.Get<ICommandRunner>();
        var chat = new ChatAddress("bench", "1");
        await runner.RunTextAsync("briefing", "", chat, CancellationToken.None);
        foreach (var path in new[] { "/v1/forecast", "/v0/topstories.json", "/api/v3/simple/price" })
            server.SetFault(path, UpstreamFault.Slow(TimeSpan.FromMilliseconds(300)));
        var briefings = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            watch.Restart();
            var reply = await runner.RunTextAsync("briefing", "", chat, CancellationToken.None);
            briefings.Add(watch.Elapsed.TotalMilliseconds);
            if (reply.Text.Contains("unavailable", StringComparison.Ordinal)) Console.WriteLine("warning: a briefing source failed");
        }
        var briefingMedian = Percentile(briefings, 0.5);
        Console.WriteLine($"/briefing through the kernel, 3 sources x 300 ms: median {briefingMedian:N0} ms (sequential would be >= 900 ms)");

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = Name,
            ["calculate_per_second"] = Math.Round(calcPerSecond),
            ["html_to_text_mb_per_second"] = Math.Round(htmlMbPerSecond, 1),
            ["fetch_url_median_ms"] = Math.Round(fetchMedian, 2),
            ["fetch_url_p95_ms"] = Math.Round(fetchP95, 2),
            ["briefing_median_ms"] = Math.Round(briefingMedian),
            ["browse_url_median_ms"] = Math.Round(browse.SpacedMedianMs, 1),
            ["browse_url_p95_ms"] = Math.Round(browse.SpacedP95Ms, 1),
            ["browse_url_back_to_back_median_ms"] = Math.Round(browse.BackToBackMedianMs, 1),
            ["browse_url_back_to_back_p95_ms"] = Math.Round(browse.BackToBackP95Ms, 1),
            ["browser_4_pages_pss_mib"] = Math.Round(browse.MemoryBytes / 1048576.0),
            ["browser_processes"] = browse.Processes,
        }));
        return 0;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
