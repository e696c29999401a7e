using Moltworker.Plugins.BuiltIn.Crypto;
using Moltworker.Plugins.BuiltIn.GitHub;
using Moltworker.Plugins.BuiltIn.News;
using Moltworker.Plugins.BuiltIn.Weather;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Upstreams;

/// <summary>Each upstream-backed tool as (path prefix to break, service name in messages, call).</summary>
public static class PluginCalls
{
    public const long SmallCap = 16 * 1024;

    public sealed record Case(string PathPrefix, string Service, Func<UpstreamServer, IHttpClientFactory, TimeProvider, Task<string>> Call);

    public static readonly IReadOnlyDictionary<string, Case> All = new Dictionary<string, Case>
    {
        ["weather"] = new("/v1/search", "weather service", (s, f, t) => Weather(s, f, t).GetWeatherAsync("Berlin")),
        ["forecast"] = new("/v1/forecast", "weather service", (s, f, t) => Weather(s, f, t).GetWeatherAsync("Berlin")),
        ["crypto"] = new("/api/v3/simple/price", "crypto price service", (s, f, t) => Crypto(s, f, t).GetCryptoPriceAsync("btc")),
        ["hackernews"] = new("/v0/topstories.json", "Hacker News", (s, f, t) => News(s, f, t).GetTopNewsAsync(3)),
        ["feed"] = new("/feeds/news.rss", "news feed", (s, f, t) => News(s, f, t, "/feeds/news.rss").GetTopNewsAsync(3)),
        ["github_read"] = new("/repos/octo/hello/contents", "GitHub", (s, f, t) => GitHub(s, f, t).ReadFileAsync("octo/hello", "README.md")),
        ["github_list"] = new("/repos/octo/hello/contents", "GitHub", (s, f, t) => GitHub(s, f, t).ListFilesAsync("octo/hello")),
    };

    public static WeatherPlugin Weather(UpstreamServer s, IHttpClientFactory f, TimeProvider t, WeatherOptions? o = null) =>
        new(With(o ?? new WeatherOptions(), x => { x.GeocodingBaseUrl = s.BaseUrl; x.ForecastBaseUrl = s.BaseUrl; x.MaxResponseBytes = SmallCap; }),
            t, Log.For<WeatherPlugin>(), f);

    public static CryptoPlugin Crypto(UpstreamServer s, IHttpClientFactory f, TimeProvider t, CryptoOptions? o = null) =>
        new(With(o ?? new CryptoOptions(), x => { x.BaseUrl = s.BaseUrl; x.MaxResponseBytes = SmallCap; }), t, Log.For<CryptoPlugin>(), f);

    public static NewsPlugin News(UpstreamServer s, IHttpClientFactory f, TimeProvider t, string? feedPath = null, NewsOptions? o = null) =>
        new(With(o ?? new NewsOptions(), x =>
        {
            x.HackerNewsBaseUrl = s.BaseUrl;
            x.MaxResponseBytes = SmallCap;
            if (feedPath is not null) x.FeedUrl = s.BaseUrl + feedPath;
        }), t, Log.For<NewsPlugin>(), f);

    public static GitHubPlugin GitHub(UpstreamServer s, IHttpClientFactory f, TimeProvider t, GitHubOptions? o = null) =>
        new(With(o ?? new GitHubOptions(), x => { x.BaseUrl = s.BaseUrl; x.MaxResponseBytes = SmallCap; }), t, Log.For<GitHubPlugin>(), f);

    private static T With<T>(T options, Action<T> change)
    {
        change(options);
        return options;
    }
}
