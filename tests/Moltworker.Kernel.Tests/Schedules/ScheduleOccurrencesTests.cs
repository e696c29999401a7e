using Moltworker.Kernel.Schedules;

namespace Moltworker.Kernel.Tests.Schedules;

/// <summary>Next occurrences through our schedule code (Cronos underneath) across the 2026 daylight-saving changes of
/// Europe/Oslo (29 March, 25 October) and America/New_York (8 March, 1 November).</summary>
public sealed class ScheduleOccurrencesTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static DateTimeOffset? Next(string cron, string zone, DateTimeOffset after) =>
        ScheduleOccurrences.NextCron(ScheduleTiming.ForCron(cron, zone), after);

    [Theory]
    // 08:00 local keeps its wall-clock time: the UTC instant moves by an hour across each change.
    [InlineData("Europe/Oslo", 3, 28, 7)]
    [InlineData("Europe/Oslo", 3, 29, 6)]
    [InlineData("Europe/Oslo", 10, 24, 6)]
    [InlineData("Europe/Oslo", 10, 25, 7)]
    [InlineData("America/New_York", 3, 7, 13)]
    [InlineData("America/New_York", 3, 8, 12)]
    [InlineData("America/New_York", 10, 31, 12)]
    [InlineData("America/New_York", 11, 1, 13)]
    public void A_daily_cron_keeps_its_local_time_across_daylight_saving_changes(string zone, int month, int day, int utcHour)
    {
        var dayStart = Utc(month, day, 0);
        Assert.Equal(Utc(month, day, utcHour), Next("0 8 * * *", zone, dayStart));
    }

    [Theory]
    [InlineData("Europe/Oslo", 3, 29, 1)]        // 02:30 does not exist: it runs at 03:00 CEST, right after the jump
    [InlineData("America/New_York", 3, 8, 7)]    // 02:30 does not exist: 03:00 EDT
    public void A_time_in_the_skipped_hour_runs_once_right_after_the_jump(string zone, int month, int day, int utcHour)
    {
        Assert.Equal(Utc(month, day, utcHour), Next("30 2 * * *", zone, Utc(month, day, 0) - TimeSpan.FromHours(6)));
    }

    [Theory]
    [InlineData("Europe/Oslo", "30 2 * * *", 10, 25, 0)]        // 02:30 happens twice (CEST, then CET): runs at the first
    [InlineData("America/New_York", "30 1 * * *", 11, 1, 5)]    // 01:30 EDT, not again at 01:30 EST
    public void A_time_in_the_repeated_hour_runs_once(string zone, string cron, int month, int day, int utcHour)
    {
        var first = Next(cron, zone, Utc(month, day, 0) - TimeSpan.FromHours(6));
        Assert.Equal(Utc(month, day, utcHour, 30), first);
        var second = Next(cron, zone, first!.Value);
        Assert.Equal(Utc(month, day, utcHour, 30).AddDays(1).AddHours(1), second);   // the next day, in standard time
    }

    [Fact]
    public void Weekdays_at_eight_in_Oslo_skip_the_weekend()
    {
        var friday = Utc(12, 4, 7);
        Assert.Equal(Utc(12, 7, 7), Next("0 8 * * 1-5", "Europe/Oslo", friday));
    }

    [Fact]
    public void An_interval_counts_real_time_across_a_change_and_a_long_run_moves_the_next_run_past_its_end()
    {
        var timing = ScheduleTiming.ForInterval(TimeSpan.FromHours(1));
        var due = Utc(3, 29, 0, 30);
        Assert.Equal(Utc(3, 29, 1, 30), ScheduleOccurrences.AfterRun(timing, due, due.AddMinutes(2)));
        Assert.Equal(Utc(3, 29, 3, 30), ScheduleOccurrences.AfterRun(timing, due, due.AddMinutes(150)));
    }

    [Fact]
    public void A_one_off_is_done_after_its_run()
    {
        var at = Utc(12, 24, 17);
        Assert.Equal(at, ScheduleOccurrences.First(ScheduleTiming.ForOnce(at), Utc(12, 1, 0)));
        Assert.Null(ScheduleOccurrences.AfterRun(ScheduleTiming.ForOnce(at), at, at.AddMinutes(1)));
    }
}
