using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Clocks;

/// <summary>The shared test clock's ways of telling a test that the code under test now waits on a timer.</summary>
public sealed class FakeTimeProviderTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_timer_already_waiting_is_found_at_once_and_the_soonest_match_wins()
    {
        var clock = new FakeTimeProvider();
        using var late = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(9), Timeout.InfiniteTimeSpan);
        using var soon = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(4), Timeout.InfiniteTimeSpan);
        using var never = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        Assert.Equal(TimeSpan.FromSeconds(4), await clock.WaitForTimerAsync());
        Assert.Equal(TimeSpan.FromSeconds(9), await clock.WaitForTimerAsync(d => d > TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(9), await clock.WaitForTimerAsync(TimeSpan.FromSeconds(9)));
        Assert.Equal([TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(9)], clock.PendingDelays);
    }

    [Fact]
    public async Task The_wait_completes_only_when_a_matching_timer_is_armed()
    {
        var clock = new FakeTimeProvider();
        var waiting = clock.WaitForTimerAsync(TimeSpan.FromSeconds(5));
        using var other = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        Assert.False(waiting.IsCompleted);

        var delay = Task.Delay(TimeSpan.FromSeconds(5), clock);
        Assert.Equal(TimeSpan.FromSeconds(5), await waiting.WaitAsync(Guard));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(5));
        await delay.WaitAsync(Guard);
    }

    [Fact]
    public async Task The_delay_is_the_time_left_and_the_wait_is_checked_again_after_an_advance()
    {
        var clock = new FakeTimeProvider();
        using var timer = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);
        var soon = clock.WaitForTimerAsync(d => d <= TimeSpan.FromSeconds(5));
        Assert.False(soon.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(TimeSpan.FromSeconds(4), await soon.WaitAsync(Guard));
        Assert.Equal(TimeSpan.FromSeconds(4), await clock.WaitForTimerAsync(TimeSpan.FromSeconds(4)));
        Assert.Equal(TimeSpan.FromSeconds(6), clock.Elapsed);
    }

    [Fact]
    public async Task Fired_and_disposed_timers_no_longer_count_and_a_wait_that_finds_none_times_out_naming_what_waits()
    {
        var clock = new FakeTimeProvider { WaitTimeout = TimeSpan.FromMilliseconds(50) };
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var once = clock.CreateTimer(_ => fired.TrySetResult(), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        var disposed = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var remaining = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        clock.Advance(TimeSpan.FromSeconds(2));
        await fired.Task.WaitAsync(Guard);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => clock.WaitForTimerAsync(d => d < TimeSpan.FromSeconds(10)));
        Assert.Contains("pending delays: [00:00:28]", error.Message);
        Assert.Equal([TimeSpan.FromSeconds(28)], clock.PendingDelays);
    }

    [Fact]
    public async Task Waiting_for_a_number_of_timers_still_counts_any_timer()
    {
        var clock = new FakeTimeProvider();
        var two = clock.WaitForPendingTimersAsync(2);
        using var first = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        Assert.False(two.IsCompleted);
        using var second = clock.CreateTimer(_ => { }, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        await two.WaitAsync(Guard);
        Assert.Equal(2, clock.PendingTimers);
    }
}
