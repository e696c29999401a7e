using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Moltworker.Testing.Upstreams;

/// <summary>Open-Meteo shapes: <c>GET /v1/search</c> (geocoding) and <c>GET /v1/forecast</c>.</summary>
public static class OpenMeteoUpstream
{
    public static readonly IReadOnlyDictionary<string, (double Lat, double Lon, string Country, string Zone)> Places =
        new Dictionary<string, (double, double, string, string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["Berlin"] = (52.52437, 13.41053, "Germany", "Europe/Berlin"),
            ["Paris"] = (48.85341, 2.3488, "France", "Europe/Paris"),
            ["Tokyo"] = (35.6895, 139.69171, "Japan", "Asia/Tokyo"),
        };

    public static void Map(WebApplication app)
    {
        app.MapGet("/v1/search", (string? name) =>
        {
            if (name is null || !Places.TryGetValue(name, out var p))
                return Results.Json(new { generationtime_ms = 0.2 });
            return Results.Json(new
            {
                results = new[]
                {
                    new { id = 1, name = char.ToUpperInvariant(name[0]) + name[1..].ToLowerInvariant(), latitude = p.Lat, longitude = p.Lon, country = p.Country, timezone = p.Zone, admin1 = p.Country },
                },
                generationtime_ms = 0.5,
            });
        });

        app.MapGet("/v1/forecast", (double latitude, double longitude, int? forecast_days, string? temperature_unit) =>
        {
            var days = Math.Clamp(forecast_days ?? 7, 1, 16);
            var f = temperature_unit == "fahrenheit";
            double T(double c) => f ? Math.Round(c * 9 / 5 + 32, 1) : c;
            var start = new DateOnly(2026, 11, 21);
            return Results.Json(new
            {
                latitude,
                longitude,
                generationtime_ms = 0.1,
                utc_offset_seconds = 3600,
                timezone = "Europe/Berlin",
                current_units = new { temperature_2m = f ? "°F" : "°C", wind_speed_10m = "km/h" },
                current = new { time = "2026-11-21T13:45", interval = 900, temperature_2m = T(6.3), apparent_temperature = T(3.1), relative_humidity_2m = 81, weather_code = 3, wind_speed_10m = 14.2 },
                daily = new
                {
                    time = Enumerable.Range(0, days).Select(i => start.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray(),
                    weather_code = Enumerable.Range(0, days).Select(i => i % 2 == 0 ? 3 : 61).ToArray(),
                    temperature_2m_max = Enumerable.Range(0, days).Select(i => T(7.1 + i)).ToArray(),
                    temperature_2m_min = Enumerable.Range(0, days).Select(i => T(1.2 + i)).ToArray(),
                    precipitation_probability_max = Enumerable.Range(0, days).Select(i => 10 * i).ToArray(),
                },
            });
        });
    }
}
