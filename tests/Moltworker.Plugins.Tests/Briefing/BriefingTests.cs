using Moltworker.Testing.Time;
using System.Diagnostics;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Briefing;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Plugins.Tests.Upstreams;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Briefing;

public sealed class BriefingTests : UpstreamTestBase
{
    private readonly ConcurrentFakeToolInvoker _invoker = new();

    public BriefingTests(UpstreamFixture fixture) : base(fixture)
    {
        var time = TimeProvider.System;
        var weather = PluginCalls.Weather(Server, Factory, time);
        var news = PluginCalls.News(Server, Factory, time);
        var crypto = PluginCalls.Crypto(Server, Factory, time);
        _invoker
            .Add("get_weather", (a, ct) => weather.GetWeatherAsync(a.GetValueOrDefault("location") as string, ct))
            .Add("get_top_news", (a, ct) => news.GetTopNewsAsync(a.GetValueOrDefault("count") as int? ?? 0, null, ct))
            .Add("get_crypto_price", (a, ct) => crypto.GetCryptoPriceAsync(a.GetValueOrDefault("coins") as string, a.GetValueOrDefault("currency") as string, ct));
    }

    private BriefingPlugin Plugin(BriefingOptions? options = null) =>
        new(options ?? new BriefingOptions { NewsCount = 2 }, _invoker, new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task Shows_weather_news_and_crypto_from_one_batch()
    {
        var result = await Plugin().GetBriefingAsync("Paris");
        Assert.StartsWith("**Briefing** · Sat 21 Nov 2026, 12:00 UTC", result);
        Assert.Contains("**Weather**\nParis, France: 6.3 °C", result);
        Assert.Contains("**News**\nHacker News top stories:\n1. Story number 1", result);
        Assert.Contains("**Crypto**\nbitcoin: 67,012.50 USD", result);
        var batch = Assert.Single(_invoker.Batches);
        Assert.Equal(["get_weather", "get_top_news", "get_crypto_price"], batch.Select(r => r.Tool));
        Assert.Equal("Paris", batch[0].Arguments["location"]);
        Assert.Equal(2, batch[1].Arguments["count"]);
    }

    [Fact]
    public async Task One_source_down_still_shows_the_others_and_names_the_failure()
    {
        Server.SetFault("/api/v3/simple/price", UpstreamFault.ServerError);
        var result = await Plugin().GetBriefingAsync();
        Assert.Contains("**Weather**\nBerlin, Germany", result);
        Assert.Contains("1. Story number 1", result);
        Assert.Contains("**Crypto**\n_unavailable: crypto price service unreachable: HTTP 500", result);
    }

    [Fact]
    public async Task All_sources_down_is_still_an_answer()
    {
        Server.SetFault("/", UpstreamFault.ServerError);
        var result = await Plugin().GetBriefingAsync();
        Assert.Equal(3, result.Split("_unavailable:").Length - 1);
        Assert.Contains("weather service unreachable", result);
        Assert.Contains("Hacker News unreachable", result);
    }

    [Fact]
    public async Task Passes_configured_coins_currency_and_tool_names()
    {
        var invoker = new ConcurrentFakeToolInvoker()
            .Add("w", (_, _) => Task.FromResult("sunny"))
            .Add("n", (_, _) => Task.FromResult("headline"))
            .Add("c", (a, _) => Task.FromResult($"{a["coins"]} in {a["currency"]}"));
        var plugin = new BriefingPlugin(new BriefingOptions { WeatherTool = "w", NewsTool = "n", CryptoTool = "c", Coins = "sol", Currency = "eur", Location = "Oslo" },
            invoker, TimeProvider.System);
        var result = await plugin.GetBriefingAsync(context: new ToolContext { TaskId = "t1" });
        Assert.Contains("**Crypto**\nsol in eur", result);
        Assert.Equal("Oslo", invoker.Batches[0][0].Arguments["location"]);
    }
}
