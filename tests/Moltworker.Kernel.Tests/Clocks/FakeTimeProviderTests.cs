using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Clocks;

/// <summary>The shared test clock: the library's fake clock, plus its ways of telling a test that the code under test
/// now waits on a timer, stepping from due time to due time, and never calling back from inside CreateTimer.</summary>
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

    [Fact]
    public void It_is_the_library_clock_started_where_ours_always_started()
    {
        var clock = new FakeTimeProvider();
        Assert.IsAssignableFrom<Microsoft.Extensions.Time.Testing.FakeTimeProvider>(clock);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(clock.GetUtcNow(), clock.Start);
        var before = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), clock.GetElapsedTime(before));
        Assert.Equal(TimeSpan.FromSeconds(3), clock.Elapsed);
    }

    [Fact]
    public void An_advance_fires_each_timer_at_its_own_due_time_including_timers_armed_on_the_way()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetUtcNow();
        var seen = new List<string>();
        ITimer? rearmed = null;
        using var once = clock.CreateTimer(_ =>
        {
            seen.Add($"once {clock.GetUtcNow() - start:g}");
            rearmed = clock.CreateTimer(_ => seen.Add($"rearmed {clock.GetUtcNow() - start:g}"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        }, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(_ => seen.Add($"periodic {clock.GetUtcNow() - start:g}"), null, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));

        clock.Advance(TimeSpan.FromSeconds(10));
        rearmed?.Dispose();

        // The library alone would run all of them at 0:00:10 and leave the re-armed timer for later.
        Assert.Equal(["periodic 0:00:03", "once 0:00:05", "periodic 0:00:06", "rearmed 0:00:08", "periodic 0:00:09"], seen);
        Assert.Equal([TimeSpan.FromSeconds(2)], clock.PendingDelays);
        Assert.Equal(TimeSpan.FromSeconds(10), clock.Elapsed);
    }

    [Fact]
    public async Task A_timer_due_at_once_fires_on_the_thread_pool_not_inside_CreateTimer()
    {
        var clock = new FakeTimeProvider();
        var creating = true;
        var firedWhileCreating = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = clock.CreateTimer(_ => firedWhileCreating.TrySetResult(Volatile.Read(ref creating)), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Volatile.Write(ref creating, false);
        Assert.False(await firedWhileCreating.Task.WaitAsync(Guard));
        Assert.Equal([TimeSpan.Zero], clock.RequestedDelays);
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public async Task Auto_advance_runs_a_delay_through_and_setting_the_clock_back_is_ignored()
    {
        var clock = new FakeTimeProvider { AutoAdvance = true };
        await Task.Delay(TimeSpan.FromMinutes(7), clock).WaitAsync(Guard);
        Assert.Equal(TimeSpan.FromMinutes(7), clock.Elapsed);
        Assert.Equal([TimeSpan.FromMinutes(7)], clock.RequestedDelays);

        clock.SetUtcNow(clock.Start);
        Assert.Equal(TimeSpan.FromMinutes(7), clock.Elapsed);
    }

    [Fact]
    public void Changing_and_disposing_a_timer_keeps_the_pending_list_true()
    {
        var clock = new FakeTimeProvider();
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        Assert.True(timer.Change(TimeSpan.FromSeconds(8), Timeout.InfiniteTimeSpan));
        Assert.Equal([TimeSpan.FromSeconds(8)], clock.PendingDelays);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, fired);
        clock.AdjustTime(clock.GetUtcNow() + TimeSpan.FromHours(1));
        Assert.Equal([TimeSpan.FromSeconds(3)], clock.PendingDelays);
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, fired);
        Assert.Empty(clock.PendingDelays);
        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        timer.Dispose();
        Assert.False(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);
        Assert.Equal(0, clock.PendingTimers);
    }
}
