using Microsoft.Extensions.Time.Testing;
using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Tests.Events;

/// <summary>Many streams share a write budget (<c>Moltworker:Events:StreamWriteRate</c>): each stream's gap between
/// writes is about its share (half to one and a half times it), measured on the host's clock; a few streams, or a rate of 0, never wait.</summary>
public sealed class StreamPacerTests
{
    [Fact]
    public void With_many_subscribers_a_stream_waits_its_share_of_the_budget_after_a_write()
    {
        using var hub = new EventHub();
        var subscriptions = Enumerable.Range(0, 10).Select(_ => hub.Subscribe(new EventQuery(), 1)).ToList();
        var clock = new FakeTimeProvider();
        var pacer = new StreamPacer(hub, writesPerSecond: 1_000, clock);   // 10 streams: one write each per 10 ms (5 to 15)

        Assert.Equal(TimeSpan.Zero, pacer.Due());   // nothing written yet
        var gaps = new List<TimeSpan>();
        for (var write = 0; write < 20; write++)
        {
            pacer.Wrote();
            var due = pacer.Due();
            Assert.InRange(due, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(15));
            gaps.Add(due);
            clock.Advance(TimeSpan.FromMilliseconds(4));
            Assert.Equal(due - TimeSpan.FromMilliseconds(4), pacer.Due());
            clock.Advance(TimeSpan.FromMilliseconds(11.1));
            Assert.Equal(TimeSpan.Zero, pacer.Due());
        }
        Assert.True(gaps.Distinct().Count() > 1);   // drawn, so streams that woke together drift apart
        foreach (var s in subscriptions) s.Dispose();
    }

    [Fact]
    public void A_few_subscribers_or_no_limit_never_wait()
    {
        using var hub = new EventHub();
        using var one = hub.Subscribe(new EventQuery(), 1);
        var clock = new FakeTimeProvider();
        var few = new StreamPacer(hub, writesPerSecond: 5_000, clock);
        var unlimited = new StreamPacer(hub, writesPerSecond: 0, clock);
        few.Wrote();
        unlimited.Wrote();

        Assert.Equal(TimeSpan.Zero, few.Due());   // a gap of at most 0.3 ms is not waited for
        Assert.Equal(TimeSpan.Zero, unlimited.Due());
    }
}
