using Moltworker.Abstractions;

namespace Moltworker.Plugins.BuiltIn.Weather;

/// <summary><c>Moltworker:Plugins:Weather</c> (Open-Meteo, no key needed).</summary>
[PluginOptions]
public sealed class WeatherOptions
{
    public string GeocodingBaseUrl { get; set; } = "https://geocoding-api.open-meteo.com";
    public string ForecastBaseUrl { get; set; } = "https://api.open-meteo.com";

    /// <summary>Used when the call names no location.</summary>
    public string DefaultLocation { get; set; } = "Berlin";

    /// <summary>"celsius" or "fahrenheit".</summary>
    public string TemperatureUnit { get; set; } = "celsius";

    /// <summary>Days of forecast after the current conditions (0–7).</summary>
    public int ForecastDays { get; set; } = 3;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    public long MaxResponseBytes { get; set; } = 256 * 1024;
}
