using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Weather;

/// <summary><c>Moltworker:Plugins:Weather</c> (Open-Meteo, no key needed).</summary>
[PluginOptions]
public sealed class WeatherOptions
{
    /// <summary>Open-Meteo geocoding root (<c>GET /v1/search?name=…</c>).</summary>
    public string GeocodingBaseUrl { get; set; } = "https://geocoding-api.open-meteo.com";
    /// <summary>Open-Meteo forecast root (<c>GET /v1/forecast?latitude=…&amp;longitude=…</c>).</summary>
    public string ForecastBaseUrl { get; set; } = "https://api.open-meteo.com";

    /// <summary>Used when the call names no location.</summary>
    public string DefaultLocation { get; set; } = "Berlin";

    /// <summary>"celsius" or "fahrenheit".</summary>
    public string TemperatureUnit { get; set; } = "celsius";

    /// <summary>Days of forecast after the current conditions (0–7).</summary>
    public int ForecastDays { get; set; } = 3;

    /// <summary>Limit of one request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>A larger answer is refused, not parsed.</summary>
    public long MaxResponseBytes { get; set; } = 256 * 1024;
}
