namespace Moltworker.Plugins.BuiltIn.Crypto;

/// <summary>Common ticker symbols mapped to CoinGecko ids, so "btc" works as well as "bitcoin".</summary>
internal static class CoinIds
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["btc"] = "bitcoin", ["eth"] = "ethereum", ["sol"] = "solana", ["xrp"] = "ripple", ["ada"] = "cardano",
        ["doge"] = "dogecoin", ["dot"] = "polkadot", ["ltc"] = "litecoin", ["bnb"] = "binancecoin", ["usdt"] = "tether",
        ["usdc"] = "usd-coin", ["trx"] = "tron", ["avax"] = "avalanche-2", ["link"] = "chainlink", ["xmr"] = "monero",
        ["matic"] = "matic-network", ["atom"] = "cosmos", ["ton"] = "the-open-network", ["xlm"] = "stellar",
    };

    /// <summary>The ids this table knows (for autocomplete).</summary>
    public static IEnumerable<string> Known => Symbols.Values.Distinct().Order(StringComparer.Ordinal);

    public static string Normalize(string coin)
    {
        var trimmed = coin.Trim().ToLowerInvariant();
        return Symbols.TryGetValue(trimmed, out var id) ? id : trimmed.Replace(' ', '-');
    }
}
