using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;

namespace Moltworker.EndToEnd.Tests.Events;

/// <summary>A stream writes every event buffered by its wake-up in one write (issue 13's 1,000 subscribers): a burst
/// published faster than the stream is written still arrives whole, in id order, each event once, over SSE and the
/// WebSocket, and resuming from an id in the middle of it gives exactly what was stored after that id.</summary>
public sealed class EventBurstTests
{
    private static readonly ChatAddress Address = new("burst", "burst");

    [Fact]
    public async Task A_burst_arrives_in_order_with_its_stored_ids_and_resumes_exactly_from_the_middle()
    {
        await using var h = await EventsHost.StartAsync();
        long cut;
        await using (var sse = await SseClient.ConnectAsync(h.Http, "?task=burst"))
        await using (var ws = await SocketClient.ConnectAsync(h.Http.BaseAddress!, "?task=burst"))
        {
            Publish(h, 300);
            var overSse = await sse.ReadUntilAsync(e => e.Id == LastStoredId(h));
            var (overSocket, _) = await ws.ReadUntilAsync((e, _) => e.Count > 0 && e[^1].Id == LastStoredId(h));

            var stored = await StoredIdsAsync(h, 0);
            Assert.Equal(300, stored.Count);
            Assert.Equal(stored, overSse.Select(e => e.Id).ToList());
            Assert.Equal(stored, overSocket.Select(e => e.Id).ToList());
            cut = stored[99];
        }

        await using var again = await SseClient.ConnectAsync(h.Http, "?task=burst", cut);
        Publish(h, 50);   // live, while the replay may still be going out
        var resumed = await again.ReadUntilAsync(e => e.Id == LastStoredId(h));
        Assert.Equal(await StoredIdsAsync(h, cut), resumed.Select(e => e.Id).ToList());
        Assert.Equal(250, resumed.Count);
    }

    private static void Publish(EventsHost h, int count)
    {
        var bus = h.Host.Services.GetRequiredService<IEventBus>();
        for (var i = 0; i < count; i++) bus.Publish(new PoStateChanged("burst", Address, i % 2 == 0 ? PoStatus.Thinking : PoStatus.CallingTool));
    }

    private static long LastStoredId(EventsHost h) => h.Host.Services.GetRequiredService<EventRecorder>().LastId;

    private static async Task<List<long>> StoredIdsAsync(EventsHost h, long after)
    {
        await h.Host.Services.GetRequiredService<EventRecorder>().FlushAsync(default);
        var query = new EventQuery { TaskId = "burst", AfterId = after, Limit = 1_000 };
        return (await h.Host.Services.GetRequiredService<IEventLog>().ReadAsync(query, default)).Select(e => e.Id).ToList();
    }
}
