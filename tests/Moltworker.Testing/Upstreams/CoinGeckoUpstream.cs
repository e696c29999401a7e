using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Upstreams;

/// <summary>CoinGecko shape: <c>GET /api/v3/simple/price?ids=…&amp;vs_currencies=…&amp;include_24hr_change=true</c>.
/// Unknown ids and currencies are left out of the answer, as the real API does.</summary>
public static class CoinGeckoUpstream
{
    public static readonly IReadOnlyDictionary<string, double> UsdPrices = new Dictionary<string, double>
    {
        ["bitcoin"] = 67012.5, ["ethereum"] = 3521.25, ["solana"] = 151.3, ["dogecoin"] = 0.1234567,
    };

    public static void Map(WebApplication app)
    {
        app.MapGet("/api/v3/simple/price", (string? ids, string? vs_currencies, bool? include_24hr_change) =>
        {
            var rates = new Dictionary<string, double> { ["usd"] = 1, ["eur"] = 0.92 };
            var result = new Dictionary<string, Dictionary<string, double>>();
            foreach (var id in (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!UsdPrices.TryGetValue(id, out var usd)) continue;
                var entry = new Dictionary<string, double>();
                foreach (var vs in (vs_currencies ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!rates.TryGetValue(vs, out var rate)) continue;
                    entry[vs] = Math.Round(usd * rate, 8);
                    if (include_24hr_change == true) entry[$"{vs}_24h_change"] = id == "bitcoin" ? 1.2345 : -2.5;
                }
                result[id] = entry;
            }
            return Results.Json(result);
        });
    }
}
