using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Crypto;

/// <summary><c>Moltworker:Plugins:Crypto</c> (CoinGecko simple price).</summary>
[PluginOptions]
public sealed class CryptoOptions
{
    /// <summary>CoinGecko API root; <c>GET /api/v3/simple/price</c> is called under it.</summary>
    public string BaseUrl { get; set; } = "https://api.coingecko.com";

    /// <summary>Optional CoinGecko demo key, sent as <c>x-cg-demo-api-key</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Comma-separated coins (CoinGecko ids or common symbols) when the call names none.</summary>
    public string DefaultCoins { get; set; } = "bitcoin,ethereum";

    /// <summary>Currency when the call names none.</summary>
    public string DefaultCurrency { get; set; } = "usd";

    /// <summary>At most this many coins per call.</summary>
    public int MaxCoins { get; set; } = 10;

    /// <summary>Limit of one request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>A larger answer is refused, not parsed.</summary>
    public long MaxResponseBytes { get; set; } = 64 * 1024;
}
