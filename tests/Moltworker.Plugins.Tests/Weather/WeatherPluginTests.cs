using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Weather;
using Moltworker.Plugins.Tests.Fakes;
using Moltworker.Plugins.Tests.Upstreams;
using Moltworker.Testing.Upstreams;

namespace Moltworker.Plugins.Tests.Weather;

public sealed class WeatherPluginTests : UpstreamTestBase
{

    public WeatherPluginTests(UpstreamFixture fixture) : base(fixture) { }

    private WeatherPlugin Plugin(WeatherOptions? options = null) => PluginCalls.Weather(Server, Factory, TimeProvider.System, options);

    [Fact]
    public async Task Geocodes_then_reports_current_weather_and_forecast()
    {
        var result = await Plugin().GetWeatherAsync("Berlin");
        Assert.StartsWith("Berlin, Germany: 6.3 °C (feels like 3.1 °C), overcast, wind 14.2 km/h, humidity 81 %.", result);
        Assert.Contains("Sat 21 Nov: 1.2–7.1 °C, overcast, rain 0 %", result);
        Assert.Contains("Mon 23 Nov", result);
        Assert.DoesNotContain("Tue 24 Nov", result);
        var forecast = Server.Requests.Last(r => r.Path == "/v1/forecast");
        Assert.Contains("latitude=52.5244", forecast.Query);
        Assert.Contains("longitude=13.4105", forecast.Query);
        Assert.Contains(WeatherPlugin.HttpClientName, Factory.Names);
    }

    [Fact]
    public async Task Uses_the_default_location_and_fahrenheit_from_options()
    {
        var result = await Plugin(new WeatherOptions { DefaultLocation = "Tokyo", TemperatureUnit = "fahrenheit", ForecastDays = 1 }).GetWeatherAsync();
        Assert.StartsWith("Tokyo, Japan: 43.3 °F", result);
        Assert.Contains("temperature_unit=fahrenheit", Server.Requests.Last(r => r.Path == "/v1/forecast").Query);
        Assert.Single(result.Split('\n').Skip(1));
    }

    [Fact]
    public async Task Coordinates_skip_geocoding()
    {
        var before = Server.Requests.Count(r => r.Path == "/v1/search");
        var result = await Plugin().GetWeatherAsync("48.85,2.35");
        Assert.StartsWith("48.85,2.35: 6.3 °C", result);
        Assert.Equal(before, Server.Requests.Count(r => r.Path == "/v1/search"));
    }

    [Fact]
    public async Task Unknown_place_is_a_clear_result()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => Plugin().GetWeatherAsync("Atlantis"));
        Assert.Equal("no place called \"Atlantis\" found", ex.Message);
        Assert.False(ex.Transient);
    }
}
