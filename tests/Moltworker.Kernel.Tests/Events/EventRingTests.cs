using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Tests.Events;

/// <summary>The ring's promise to a reader racing its writer: whatever a reader copied from a position, if
/// <see cref="EventRing.IsIntact"/> says yes afterwards, the copy is that event's whole frame, even while the arena goes
/// round under it many times.</summary>
public sealed class EventRingTests
{
    [Fact]
    public async Task A_copy_called_intact_is_always_the_events_own_frame_while_the_writer_laps_the_arena()
    {
        const int count = 3_000;   // frames of 100 B to 40 KB: the 4 MB arena goes round about 15 times
        var ring = new EventRing();
        var sizes = new Random(7);
        var events = Enumerable.Range(1, count).Select(id => Event(id, sizes.Next(100, 40_000))).ToArray();
        var expected = events.Select(e => e.Frames.Sse.ToArray()).ToArray();   // encoded before the race

        var writer = Task.Run(() =>
        {
            foreach (var e in events) ring.Add(e);
        });
        var (verified, torn) = await Task.Run(() =>
        {
            int whole = 0, caught = 0;
            var lag = new Random(11);
            var copy = new byte[64 * 1024];
            var spin = new SpinWait();
            for (long position = 0; position < count;)
            {
                if (!ring.TryGet(position, out var e))
                {
                    if (!ring.IsIntact(position)) position += lag.Next(1, 50);   // gone: catch up
                    else if (writer.IsCompleted && !ring.TryGet(position, out _)) Assert.Fail($"position {position} is neither readable nor gone");
                    else spin.SpinOnce();                                          // not written yet
                    continue;
                }
                e.Sse.Span.CopyTo(copy);
                if (lag.Next(4) == 0) Thread.SpinWait(lag.Next(1, 20_000));   // a slow reader now and then
                if (ring.IsIntact(position))
                {
                    Assert.Equal(position + 1, e.Id);
                    Assert.True(copy.AsSpan(0, e.Sse.Length).SequenceEqual(expected[position]), $"event {e.Id}: a torn copy was called intact");
                    whole++;
                }
                else caught++;
                position++;
            }
            return (whole, caught);
        });
        await writer;

        Assert.True(verified > 0, $"no copy was whole ({torn} caught torn)");
    }

    private static StoredEvent Event(long id, int size) => new()
    {
        Id = id, Seq = id, Name = EventNames.PoState, At = DateTimeOffset.UnixEpoch, TaskId = "t1", ThreadId = "t1", Agent = "default",
        Channel = "test", ChatId = "c", Data = $"{{\"text\":\"{new string((char)('a' + id % 26), size)}\"}}",
    };
}
