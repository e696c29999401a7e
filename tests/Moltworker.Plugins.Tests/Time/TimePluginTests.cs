using Moltworker.Testing.Time;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Time;
using Moltworker.Plugins.Tests.Fakes;

namespace Moltworker.Plugins.Tests.Time;

public class TimePluginTests
{
    // 2026-07-01 10:30:00 UTC: summer time in Berlin (UTC+2) and New York (UTC-4).
    private static readonly FakeTimeProvider Summer = new(new DateTimeOffset(2026, 7, 1, 10, 30, 0, TimeSpan.Zero));

    private static TimePlugin Plugin(string zone = "UTC") => new(new TimeOptions { DefaultTimeZone = zone }, Summer);

    [Theory]
    [InlineData("Europe/Berlin", "Wednesday, 1 July 2026, 12:30:00 in Europe/Berlin (UTC+02:00")]
    [InlineData("America/New_York", "Wednesday, 1 July 2026, 06:30:00 in America/New_York (UTC-04:00")]
    [InlineData("Asia/Kolkata", "Wednesday, 1 July 2026, 16:00:00 in Asia/Kolkata (UTC+05:30")]
    [InlineData("tokyo", "Wednesday, 1 July 2026, 19:30:00 in Asia/Tokyo (UTC+09:00")]
    [InlineData("new york", "06:30:00 in America/New_York")]
    [InlineData("UTC+3", "13:30:00 in UTC+03:00")]
    [InlineData("utc", "10:30:00 in UTC")]
    public void Tells_the_time_in_a_zone(string zone, string expected) =>
        Assert.Contains(expected, Plugin().GetTime(zone));

    [Fact]
    public void Uses_the_configured_default_zone() =>
        Assert.Contains("12:30:00 in Europe/Berlin", Plugin("Europe/Berlin").GetTime());

    [Fact]
    public void Unknown_zone_is_a_clear_result()
    {
        var ex = Assert.Throws<ToolException>(() => Plugin().GetTime("Mars/Olympus_Mons"));
        Assert.Contains("unknown time zone \"Mars/Olympus_Mons\"", ex.Message);
    }

    [Fact]
    public async Task Suggests_iana_ids_for_autocomplete()
    {
        var suggestions = await Plugin().SuggestAsync("get_time", "timezone", "Europe/Be", CancellationToken.None);
        Assert.Contains("Europe/Berlin", suggestions);
        Assert.Contains("Europe/Berlin", await Plugin().SuggestAsync("get_time", "timezone", "berl", CancellationToken.None));
        Assert.True((await Plugin().SuggestAsync("get_time", "timezone", "", CancellationToken.None)).Count <= 25);
        Assert.Empty(await Plugin().SuggestAsync("calculate", "expression", "Eu", CancellationToken.None));
    }
}
