using Moltworker.EndToEnd.Tests.Events;
using Moltworker.EndToEnd.Tests.Postgres;
using Moltworker.Testing.Postgres;

namespace Moltworker.EndToEnd.Tests.Cluster;

/// <summary>Issue 16, events on several hosts: two real hosts on one PostgreSQL database. The events of a turn run on
/// host A reach the SSE subscribers of host B (and of A) once each, in order, with the ids they are stored under, and a
/// subscriber of B resumes with <c>Last-Event-ID</c> across A's events with no gap and no duplicate.</summary>
public sealed class EventFanOutTests
{
    private static async Task<(TestDatabase Database, EventsHost A, EventsHost B)> StartTwoHostsAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        string[] settings = ["--Moltworker:Storage:Provider=Postgres", $"--Moltworker:Storage:ConnectionString={database.ConnectionString}"];
        var a = await EventsHost.StartAsync(settings);
        var b = await EventsHost.StartAsync(settings);
        return (database, a, b);
    }

    private static async Task StopAsync(TestDatabase database, EventsHost a, EventsHost b)
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
        await database.DisposeAsync();
    }

    [PostgresFact]
    public async Task A_turn_on_host_a_reaches_sse_subscribers_of_both_hosts_once_each_in_order_with_the_stored_ids()
    {
        var (database, a, b) = await StartTwoHostsAsync();
        try
        {
            await using var onB = await SseClient.ConnectAsync(b.Http, "?chat=fan");
            await using var onA = await SseClient.ConnectAsync(a.Http, "?chat=fan");

            var first = await a.ChatAsync("fan", "look around");
            var second = await a.ChatAsync("fan", "look again");
            var gotB = await onB.ReadUntilAsync(e => e.TaskId == second && e.Name == "task_completed");
            var gotA = await onA.ReadUntilAsync(e => e.TaskId == second && e.Name == "task_completed");

            CausalOrder.AssertParallelTurn(gotB, first);
            CausalOrder.AssertParallelTurn(gotB, second);
            var stored = (await b.TaskEventsAsync(first)).Concat(await b.TaskEventsAsync(second)).Select(e => (e.Id, e.Name)).ToList();
            Assert.Equal(stored, gotB.Select(e => (e.Id, e.Name)));   // every event once, in id order, nothing else
            Assert.Equal(stored, gotA.Select(e => (e.Id, e.Name)));   // the local stream too: no double delivery on A
        }
        finally { await StopAsync(database, a, b); }
    }

    [PostgresFact]
    public async Task A_subscriber_of_host_b_resumes_from_its_last_event_id_across_host_a_events_with_no_gap_and_no_duplicate()
    {
        var (database, a, b) = await StartTwoHostsAsync();
        try
        {
            string first;
            long lastSeen;
            await using (var sse = await SseClient.ConnectAsync(b.Http, "?chat=resume"))
            {
                first = await a.ChatAsync("resume", "one");
                var seen = await sse.ReadUntilAsync(e => e.Name == "task_completed");
                lastSeen = seen[4].Id;   // as if the connection broke after the fifth event
            }
            var second = await a.ChatAsync("resume", "two");   // while disconnected

            await using var again = await SseClient.ConnectAsync(b.Http, "?chat=resume", lastSeen);
            var third = await a.ChatAsync("resume", "three");   // live, while the replay is being sent
            var got = await again.ReadUntilAsync(e => e.TaskId == third && e.Name == "task_completed");

            var stored = new List<WireEvent>();
            foreach (var task in new[] { first, second, third }) stored.AddRange(await a.TaskEventsAsync(task));
            Assert.Equal(stored.Where(e => e.Id > lastSeen).OrderBy(e => e.Id).Select(e => e.Id), got.Select(e => e.Id));
            CausalOrder.AssertParallelTurn(got, second);
            CausalOrder.AssertParallelTurn(got, third);
        }
        finally { await StopAsync(database, a, b); }
    }
}
