using Microsoft.Extensions.Time.Testing;
using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Tests.Events;

/// <summary>One stream's reusable wake-up: a wait ends at its time on the injected clock, an offered event wakes only a
/// wait that asked for events, and the stream's end wakes a wait, even one that began after the end.</summary>
public sealed class StreamSignalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_wait_ends_at_its_time_and_the_signal_is_reused()
    {
        var clock = new FakeTimeProvider();
        using var signal = new StreamSignal(clock, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            var wait = signal.WaitAsync(TimeSpan.FromMilliseconds(10), orEvents: false).AsTask();
            clock.Advance(TimeSpan.FromMilliseconds(9));
            Assert.False(wait.IsCompleted);
            clock.Advance(TimeSpan.FromMilliseconds(1));
            await wait.WaitAsync(Patience);
        }
    }

    [Fact]
    public async Task An_offered_event_wakes_a_wait_for_events_only()
    {
        var clock = new FakeTimeProvider();
        using var signal = new StreamSignal(clock, CancellationToken.None);

        var pacing = signal.WaitAsync(TimeSpan.FromSeconds(1), orEvents: false).AsTask();
        signal.OfferArrived();
        Assert.False(pacing.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await pacing.WaitAsync(Patience);

        var waiting = signal.WaitAsync(Timeout.InfiniteTimeSpan, orEvents: true).AsTask();
        Assert.False(waiting.IsCompleted);
        signal.OfferArrived();
        await waiting.WaitAsync(Patience);
    }

    [Fact]
    public async Task The_streams_end_wakes_a_wait_and_one_begun_after_it()
    {
        var clock = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        using var signal = new StreamSignal(clock, stop.Token);

        var waiting = signal.WaitAsync(Timeout.InfiniteTimeSpan, orEvents: true).AsTask();
        await stop.CancelAsync();
        await waiting.WaitAsync(Patience);

        // The cancellation's one callback has run; a wait that begins now must still not wait.
        await signal.WaitAsync(Timeout.InfiniteTimeSpan, orEvents: true).AsTask().WaitAsync(Patience);
    }
}
