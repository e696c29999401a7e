using Moltworker.Kernel.Schedules;

namespace Moltworker.Kernel.Tests.Schedules;

/// <summary>What people write is read, and what cannot be kept is refused with a reason.</summary>
public sealed class ScheduleTimingParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private readonly ScheduleTimingParser _parser = new(new SchedulesOptions());

    private string Refusal(string when, string? zone = null) =>
        Assert.Throws<ScheduleRefusedException>(() => _parser.Parse(when, zone, Now)).Message;

    [Theory]
    [InlineData("0 0 31 2 *", "\"0 0 31 2 *\" never fires: day 31 of February never comes.")]
    [InlineData("0 0 30 FEB *", "\"0 0 30 FEB *\" never fires: day 30 of February never comes.")]
    [InlineData("0 0 31 4,6 *", "\"0 0 31 4,6 *\" never fires: day 31 of April or June never comes.")]
    public void A_cron_expression_that_never_fires_is_refused_with_the_reason(string cron, string expected) =>
        Assert.Equal(expected, Refusal(cron));

    [Fact]
    public void An_invalid_cron_expression_is_refused_saying_what_is_wrong_and_how_to_write_one()
    {
        var message = Refusal("61 8 * * *");
        Assert.StartsWith("\"61 8 * * *\" is not a valid cron expression:", message);
        Assert.Contains("minute hour day-of-month month day-of-week", message);
    }

    [Fact]
    public void Seconds_unknown_zones_short_intervals_past_times_and_gibberish_are_refused()
    {
        Assert.Contains("seconds are not supported", Refusal("0 0 8 * * *"));
        Assert.Equal("Unknown time zone \"Mars/Olympus\"; use an IANA id like \"Europe/Oslo\" or \"America/New_York\".", Refusal("0 8 * * *", "Mars/Olympus"));
        Assert.Equal("The interval must be at least 1m (Moltworker:Schedules:MinInterval).", Refusal("every 30s"));
        Assert.Contains("runs more often than every 5m", Assert.Throws<ScheduleRefusedException>(() =>
            new ScheduleTimingParser(new SchedulesOptions { MinInterval = TimeSpan.FromMinutes(5) }).Parse("*/2 * * * *", null, Now)).Message);
        Assert.Equal("That time has already passed; give a time in the future.", Refusal("2026-12-01 10:00"));
        Assert.StartsWith("\"next tuesday-ish\" is not a time I can read.", Refusal("next tuesday-ish"));
        Assert.StartsWith("\"every often\": \"often\" is not a duration", Refusal("every often"));
    }

    [Fact]
    public void Cron_intervals_relative_and_absolute_times_are_read()
    {
        Assert.Equal(ScheduleTiming.ForCron("0 8 * * 1-5", "Europe/Oslo"), _parser.Parse("\"0 8 * * 1-5\"", "Europe/Oslo", Now));
        Assert.Equal(ScheduleTiming.ForCron("@daily", "UTC"), _parser.Parse("@daily", null, Now));
        Assert.Equal(ScheduleTiming.ForInterval(TimeSpan.FromMinutes(90)), _parser.Parse("every 1h 30m", null, Now));
        Assert.Equal(ScheduleTiming.ForOnce(Now.AddMinutes(20)), _parser.Parse("in 20 minutes", null, Now));
        Assert.Equal(ScheduleTiming.ForOnce(new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.Zero)), _parser.Parse("2026-12-24 18:00", "Europe/Oslo", Now));
        Assert.Equal(ScheduleTiming.ForOnce(new DateTimeOffset(2026, 12, 24, 16, 0, 0, TimeSpan.Zero)), _parser.Parse("2026-12-24T18:00+02:00", null, Now));
    }
}
