using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Http;

namespace Moltworker.Plugins.BuiltIn.Weather;

/// <summary><c>get_weather</c>: current conditions and a short forecast from Open-Meteo (geocoding + forecast).</summary>
[Plugin("Weather", Description = "Current weather and a short forecast for a place (Open-Meteo).")]
public sealed partial class WeatherPlugin(WeatherOptions options, TimeProvider time, ILogger<WeatherPlugin> logger, IHttpClientFactory? httpClientFactory = null)
{
    public const string HttpClientName = "Moltworker.Plugins.Weather";
    private readonly UpstreamSettings _settings = new("weather service", options.Timeout, options.MaxResponseBytes);

    [KernelFunction("get_weather")]
    [ToolSafety(SideEffects = false, ParallelSafe = true, Command = true, CommandName = "weather", CacheSeconds = 600)]
    [Description("Current weather and a short daily forecast for a place (city name, or \"latitude,longitude\").")]
    public async Task<string> GetWeatherAsync(
        [Description("City or place name, e.g. \"Berlin\" or \"Paris, France\"; or \"52.52,13.41\". Empty: the configured default.")] string? location = null,
        CancellationToken cancellationToken = default)
    {
        var query = string.IsNullOrWhiteSpace(location) ? options.DefaultLocation : location.Trim();
        var client = SharedHttpClientFactory.Create(httpClientFactory, HttpClientName);
        var place = ParseCoordinates(query) ?? await GeocodeAsync(client, query, cancellationToken).ConfigureAwait(false);
        var fahrenheit = string.Equals(options.TemperatureUnit, "fahrenheit", StringComparison.OrdinalIgnoreCase);
        var days = Math.Clamp(options.ForecastDays, 0, 7);
        var url = $"{options.ForecastBaseUrl.TrimEnd('/')}/v1/forecast?latitude={F(place.Latitude)}&longitude={F(place.Longitude)}" +
                  "&current=temperature_2m,apparent_temperature,relative_humidity_2m,weather_code,wind_speed_10m" +
                  "&daily=weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max" +
                  $"&timezone=auto&forecast_days={Math.Max(1, days)}" + (fahrenheit ? "&temperature_unit=fahrenheit" : "");
        using var forecast = await GetJsonAsync(client, url, cancellationToken).ConfigureAwait(false);
        LogWeather(place.Name);
        return UpstreamJson.Shape(() => Format(place, forecast.RootElement, fahrenheit ? "°F" : "°C", days), _settings);
    }

    private async Task<Place> GeocodeAsync(HttpClient client, string query, CancellationToken cancellationToken)
    {
        var name = query.Split(',')[0].Trim();
        var url = $"{options.GeocodingBaseUrl.TrimEnd('/')}/v1/search?name={Uri.EscapeDataString(name)}&count=5&language=en&format=json";
        using var json = await GetJsonAsync(client, url, cancellationToken).ConfigureAwait(false);
        return UpstreamJson.Shape(() =>
        {
            if (!json.RootElement.TryGetProperty("results", out var results) || results.GetArrayLength() == 0)
                throw new ToolException($"no place called \"{query}\" found");
            var hint = query.Contains(',') ? query[(query.IndexOf(',') + 1)..].Trim() : null;
            var best = results.EnumerateArray().FirstOrDefault(r => hint is not null &&
                (UpstreamJson.String(r, "country")?.Contains(hint, StringComparison.OrdinalIgnoreCase) == true ||
                 UpstreamJson.String(r, "country_code")?.Equals(hint, StringComparison.OrdinalIgnoreCase) == true ||
                 UpstreamJson.String(r, "admin1")?.Contains(hint, StringComparison.OrdinalIgnoreCase) == true));
            if (best.ValueKind != JsonValueKind.Object) best = results[0];
            var label = string.Join(", ", new[] { UpstreamJson.String(best, "name"), UpstreamJson.String(best, "country") }.Where(s => !string.IsNullOrEmpty(s)));
            return new Place(label, best.GetProperty("latitude").GetDouble(), best.GetProperty("longitude").GetDouble());
        }, _settings);
    }

    private async Task<JsonDocument> GetJsonAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var response = await Upstream.SendAsync(client, request, _settings, time, cancellationToken).ConfigureAwait(false);
        Upstream.EnsureSuccess(response, _settings, time);
        return UpstreamJson.Parse(response, _settings);
    }

    private static string Format(Place place, JsonElement root, string unit, int days)
    {
        var current = root.GetProperty("current");
        var text = new StringBuilder($"{place.Name}: {F1(current.GetProperty("temperature_2m").GetDouble())} {unit}");
        if (UpstreamJson.Number(current, "apparent_temperature") is { } feels) text.Append($" (feels like {F1(feels)} {unit})");
        if (UpstreamJson.Number(current, "weather_code") is { } code) text.Append(", ").Append(WeatherCodes.Describe((int)code));
        if (UpstreamJson.Number(current, "wind_speed_10m") is { } wind) text.Append($", wind {F1(wind)} km/h");
        if (UpstreamJson.Number(current, "relative_humidity_2m") is { } humidity) text.Append($", humidity {F1(humidity)} %");
        text.Append('.');
        if (days > 0 && root.TryGetProperty("daily", out var daily))
        {
            var dates = daily.GetProperty("time");
            for (var i = 0; i < Math.Min(days, dates.GetArrayLength()); i++)
            {
                var date = DateOnly.Parse(dates[i].GetString()!, CultureInfo.InvariantCulture);
                text.Append('\n').Append(date.ToString("ddd d MMM", CultureInfo.InvariantCulture)).Append(": ");
                text.Append($"{F1(daily.GetProperty("temperature_2m_min")[i].GetDouble())}–{F1(daily.GetProperty("temperature_2m_max")[i].GetDouble())} {unit}");
                if (daily.TryGetProperty("weather_code", out var codes) && codes[i].ValueKind == JsonValueKind.Number)
                    text.Append(", ").Append(WeatherCodes.Describe(codes[i].GetInt32()));
                if (daily.TryGetProperty("precipitation_probability_max", out var rain) && rain[i].ValueKind == JsonValueKind.Number)
                    text.Append($", rain {rain[i].GetInt32()} %");
            }
        }
        return text.ToString();
    }

    private static Place? ParseCoordinates(string query)
    {
        var parts = query.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length == 2 &&
               double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) && lat is >= -90 and <= 90 &&
               double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) && lon is >= -180 and <= 180
            ? new Place($"{F(lat)},{F(lon)}", lat, lon)
            : null;
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
    private static string F1(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Debug, Message = "get_weather answered for {Place}")]
    private partial void LogWeather(string place);
}
