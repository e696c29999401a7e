using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Api;
using Moltworker.Kernel.Events;

namespace Moltworker.EndToEnd.Tests.Events;

/// <summary>Issue 13, part 2: <c>/api/events</c> (SSE) and <c>/api/ws</c> carry a turn's events in causal order, resume
/// from the last event id with no gap and no duplicate, and drop a subscriber that does not read while turns go on.</summary>
public sealed class EventStreamTests
{
    [Fact]
    public async Task Sse_carries_a_three_call_parallel_turn_in_causal_order_as_stored()
    {
        await using var h = await EventsHost.StartAsync();
        await using var sse = await SseClient.ConnectAsync(h.Http, "?chat=sse");

        var taskId = await h.ChatAsync("sse", "look around");
        var events = await sse.ReadUntilAsync(e => e.Name == "task_completed");

        CausalOrder.AssertParallelTurn(events, taskId);
        Assert.Equal((await h.TaskEventsAsync(taskId)).Select(e => (e.Id, e.Name)), events.Select(e => (e.Id, e.Name)));
    }

    [Fact]
    public async Task A_websocket_client_sends_a_message_and_receives_its_events_and_answer_then_resumes_after_a_reconnect()
    {
        await using var h = await EventsHost.StartAsync();
        string taskId;
        long last;
        await using (var ws = await SocketClient.ConnectAsync(h.Http.BaseAddress!, "?chat=ws"))
        {
            await ws.SendAsync(new { type = "chat", chatId = "ws", text = "look over there", messageId = "m-1" });
            var (events, others) = await ws.ReadUntilAsync((e, o) => o.Count > 0 && e.Any(x => x.Name == "task_completed"));
            var answer = Assert.Single(others);
            Assert.Equal("answer", answer.GetProperty("type").GetString());
            Assert.Equal("answer to look over there", answer.GetProperty("text").GetString());
            Assert.Equal("m-1", answer.GetProperty("messageId").GetString());
            taskId = answer.GetProperty("taskId").GetString()!;
            CausalOrder.AssertParallelTurn(events, taskId);
            last = events[^1].Id;
        }

        var missed = await h.ChatAsync("ws", "while away");
        await using var again = await SocketClient.ConnectAsync(h.Http.BaseAddress!, $"?chat=ws&lastEventId={last}");
        var (replayed, _) = await again.ReadUntilAsync((e, _) => e.Any(x => x.TaskId == missed && x.Name == "task_completed"));
        Assert.Equal((await h.TaskEventsAsync(missed)).Select(e => e.Id), replayed.Select(e => e.Id));
        CausalOrder.AssertParallelTurn(replayed, missed);
    }

    [Fact]
    public async Task Reconnecting_with_last_event_id_misses_nothing_and_duplicates_nothing_across_the_replay_and_live_seam()
    {
        await using var h = await EventsHost.StartAsync();
        string first;
        long lastSeen;
        await using (var sse = await SseClient.ConnectAsync(h.Http, "?chat=resume"))
        {
            first = await h.ChatAsync("resume", "one");
            var seen = await sse.ReadUntilAsync(e => e.Name == "task_completed");
            lastSeen = seen[4].Id;   // as if the connection broke after the fifth event
        }
        var second = await h.ChatAsync("resume", "two");   // while disconnected

        await using var again = await SseClient.ConnectAsync(h.Http, "?chat=resume", lastSeen);
        var third = await h.ChatAsync("resume", "three");   // live, while the replay is being sent
        var got = await again.ReadUntilAsync(e => e.TaskId == third && e.Name == "task_completed");

        var stored = new List<WireEvent>();
        foreach (var task in new[] { first, second, third }) stored.AddRange(await h.TaskEventsAsync(task));
        var expected = stored.Where(e => e.Id > lastSeen).OrderBy(e => e.Id).Select(e => e.Id).ToList();
        Assert.Equal(expected, got.Select(e => e.Id).ToList());
        CausalOrder.AssertParallelTurn(got, second);
        CausalOrder.AssertParallelTurn(got, third);
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_is_dropped_while_turns_go_on()
    {
        await using var h = await EventsHost.StartAsync(["--Moltworker:Events:SubscriberBuffer=4"],
            services => services.Configure<KestrelServerOptions>(o => o.Limits.MaxResponseBufferSize = 1024));
        var hub = h.Host.Services.GetRequiredService<EventRecorder>().Hub;
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.SubscriberDropped += _ => dropped.TrySetResult();

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await socket.ConnectAsync(h.Http.BaseAddress!.Host, h.Http.BaseAddress.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /api/events HTTP/1.1\r\nHost: {h.Http.BaseAddress.Authority}\r\n\r\n"));
        await h.Host.EventuallyAsync(() => Task.FromResult(hub.SubscriberCount), n => n == 1, "the subscriber to be connected");

        var turns = 0;
        while (!dropped.Task.IsCompleted && turns < 300) await h.ChatAsync("busy", $"turn {turns++}");   // never slowed: each is answered

        Assert.True(dropped.Task.IsCompleted, $"the subscriber was not dropped after {turns} turns");
        Assert.Equal(0, hub.SubscriberCount);
        Assert.Equal(1, hub.DroppedCount);
        await h.ChatAsync("busy", "after the drop");
    }

    [Fact]
    public async Task An_idle_stream_gets_a_heartbeat_comment()
    {
        await using var h = await EventsHost.StartAsync(["--Moltworker:Events:Heartbeat=00:00:00.050"]);
        await using var sse = await SseClient.ConnectAsync(h.Http, "?task=nothing-happens");
        Assert.Equal(": heartbeat", await sse.Comments.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Bad_requests_get_problem_bodies()
    {
        await using var h = await EventsHost.StartAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/events"))
        {
            request.Headers.Add("Last-Event-ID", "yesterday");
            using var response = await h.Http.SendAsync(request);
            Assert.Contains("Last-Event-ID", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
        }
        using (var response = await h.Http.GetAsync("/api/ws"))
            Assert.Contains("WebSocket", (await ApiResponses.AssertProblemAsync(response, 400)).Detail(), StringComparison.Ordinal);
    }
}
