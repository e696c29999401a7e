using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Crypto;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Plugins.Tests.Upstreams;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Crypto;

public sealed class CryptoPluginTests : UpstreamTestBase
{

    public CryptoPluginTests(UpstreamFixture fixture) : base(fixture) { }

    private CryptoPlugin Plugin(CryptoOptions? options = null) => PluginCalls.Crypto(Server, Factory, TimeProvider.System, options);

    [Fact]
    public async Task Prices_the_default_coins_with_24h_change()
    {
        var result = await Plugin().GetCryptoPriceAsync();
        Assert.Equal("bitcoin: 67,012.50 USD (+1.23 % 24 h)\nethereum: 3,521.25 USD (-2.50 % 24 h)", result);
        Assert.Contains("include_24hr_change=true", Server.Requests.Last().Query);
    }

    [Fact]
    public async Task Accepts_symbols_currencies_and_names_unknown_coins()
    {
        var result = await Plugin().GetCryptoPriceAsync("SOL, doge, notacoin", "eur");
        Assert.Contains("solana: 139.20 EUR", result);
        Assert.Contains("dogecoin: 0.11358 EUR", result);
        Assert.EndsWith("unknown: notacoin", result);
    }

    [Fact]
    public async Task Only_unknown_coins_is_a_clear_failure()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().GetCryptoPriceAsync("notacoin"));
        Assert.Contains("no price for notacoin", ex.Message);
    }

    [Fact]
    public async Task Sends_the_api_key_header_when_configured()
    {
        await Plugin(new CryptoOptions { ApiKey = "demo-key" }).GetCryptoPriceAsync("btc");
        Assert.Equal("demo-key", Server.Requests.Last().Headers["x-cg-demo-api-key"]);
    }

    [Fact]
    public async Task Caps_the_number_of_coins()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin(new CryptoOptions { MaxCoins = 2 }).GetCryptoPriceAsync("a,b,c"));
        Assert.Contains("at most 2 coins", ex.Message);
    }

    [Fact]
    public async Task Suggests_coin_ids_continuing_the_last_entry()
    {
        var plugin = Plugin();
        Assert.Contains("bitcoin", await plugin.SuggestAsync("get_crypto_price", "coins", "bit", CancellationToken.None));
        Assert.Equal(["bitcoin,ethereum"], await plugin.SuggestAsync("get_crypto_price", "coins", "bitcoin,eth", CancellationToken.None));
        Assert.Empty(await plugin.SuggestAsync("get_crypto_price", "currency", "u", CancellationToken.None));
    }
}
