using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Http;

namespace Moltworker.Plugins.BuiltIn.Crypto;

/// <summary><c>get_crypto_price</c>: CoinGecko simple price with the 24 h change.</summary>
[Plugin("Crypto", Description = "Cryptocurrency prices (CoinGecko).")]
public sealed partial class CryptoPlugin(CryptoOptions options, TimeProvider time, ILogger<CryptoPlugin> logger, IHttpClientFactory? httpClientFactory = null)
    : IToolSuggestions
{
    public const string HttpClientName = "Moltworker.Plugins.Crypto";
    private readonly UpstreamSettings _settings = new("crypto price service", options.Timeout, options.MaxResponseBytes);

    [KernelFunction("get_crypto_price")]
    [ToolSafety(SideEffects = false, ParallelSafe = true, Command = true, CommandName = "crypto", CacheSeconds = 60)]
    [Description("Current price and 24 h change of one or more cryptocurrencies.")]
    public async Task<string> GetCryptoPriceAsync(
        [Description("Comma-separated CoinGecko ids or symbols, e.g. \"bitcoin,eth\". Empty: the configured defaults.")] string? coins = null,
        [Description("Quote currency, e.g. \"usd\" or \"eur\". Empty: the configured default.")] string? currency = null,
        CancellationToken cancellationToken = default)
    {
        var ids = (string.IsNullOrWhiteSpace(coins) ? options.DefaultCoins : coins).Split(',', ';', ' ')
            .Where(c => !string.IsNullOrWhiteSpace(c)).Select(CoinIds.Normalize).Distinct().ToList();
        if (ids.Count == 0) throw new ToolException("name at least one coin, e.g. \"bitcoin\"");
        if (ids.Count > options.MaxCoins) throw new ToolException($"at most {options.MaxCoins} coins per call");
        var vs = (string.IsNullOrWhiteSpace(currency) ? options.DefaultCurrency : currency).Trim().ToLowerInvariant();

        var url = $"{options.BaseUrl.TrimEnd('/')}/api/v3/simple/price?ids={Uri.EscapeDataString(string.Join(',', ids))}" +
                  $"&vs_currencies={Uri.EscapeDataString(vs)}&include_24hr_change=true";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        if (!string.IsNullOrEmpty(options.ApiKey)) request.Headers.TryAddWithoutValidation("x-cg-demo-api-key", options.ApiKey);
        var response = await Upstream.SendAsync(SharedHttpClientFactory.Create(httpClientFactory, HttpClientName), request, _settings, time, cancellationToken).ConfigureAwait(false);
        Upstream.EnsureSuccess(response, _settings, time);
        using var json = UpstreamJson.Parse(response, _settings);
        LogPrices(ids.Count, vs);
        return UpstreamJson.Shape(() => Format(json.RootElement, ids, vs), _settings);
    }

    /// <summary>Autocomplete for the coins option: known ids, continuing the last comma-separated entry.</summary>
    public Task<IReadOnlyList<string>> SuggestAsync(string tool, string parameter, string prefix, CancellationToken cancellationToken)
    {
        if (tool != "get_crypto_price" || parameter != "coins") return Task.FromResult<IReadOnlyList<string>>([]);
        var comma = prefix.LastIndexOf(',');
        var head = comma >= 0 ? prefix[..(comma + 1)] : "";
        var last = prefix[(comma + 1)..].Trim();
        IReadOnlyList<string> result = CoinIds.Known.Where(id => id.StartsWith(last, StringComparison.OrdinalIgnoreCase))
            .Select(id => head + id).Take(25).ToList();
        return Task.FromResult(result);
    }

    private static string Format(JsonElement root, IReadOnlyList<string> ids, string vs)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidOperationException("not an object");
        var lines = new StringBuilder();
        var unknown = new List<string>();
        foreach (var id in ids)
        {
            if (!root.TryGetProperty(id, out var coin) || UpstreamJson.Number(coin, vs) is not { } price)
            {
                unknown.Add(id);
                continue;
            }
            if (lines.Length > 0) lines.Append('\n');
            lines.Append(id).Append(": ").Append(Price(price)).Append(' ').Append(vs.ToUpperInvariant());
            if (UpstreamJson.Number(coin, $"{vs}_24h_change") is { } change)
                lines.Append(" (").Append(change >= 0 ? "+" : "").Append(change.ToString("0.00", CultureInfo.InvariantCulture)).Append(" % 24 h)");
        }
        if (unknown.Count == ids.Count)
            throw new ToolException($"no price for {string.Join(", ", unknown)} in {vs.ToUpperInvariant()} (unknown coin id or currency)");
        if (unknown.Count > 0) lines.Append("\nunknown: ").Append(string.Join(", ", unknown));
        return lines.ToString();
    }

    private static string Price(double value) =>
        value.ToString(value >= 1 ? "#,##0.00" : "0.######", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Debug, Message = "get_crypto_price answered for {Count} coins in {Currency}")]
    private partial void LogPrices(int count, string currency);
}
