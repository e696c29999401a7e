namespace Moltworker.EndToEnd.Tests.Events;

/// <summary>Asserts that one task's events tell its 3-call parallel batch in causal order.</summary>
internal static class CausalOrder
{
    public static void AssertParallelTurn(IReadOnlyList<WireEvent> all, string taskId)
    {
        var events = all.Where(e => e.TaskId == taskId).ToList();
        Assert.True(events.Zip(events.Skip(1)).All(p => p.Second.Id > p.First.Id), "ids grow: " + string.Join(",", events.Select(e => e.Id)));
        Assert.Equal("task_started", events[0].Name);
        Assert.Equal("task_completed", events[^1].Name);
        var started = events.Single(e => e.Name == "parallel_batch_started");
        var callIds = started.Data.GetProperty("tool_call_ids").EnumerateArray().Select(x => x.GetString()!).ToList();
        Assert.Equal(3, callIds.Distinct().Count());
        Assert.True(started.Data.GetProperty("parallel").GetBoolean());
        Assert.Equal("model", started.Data.GetProperty("caller").GetString());
        var completed = events.Single(e => e.Name == "parallel_batch_completed");
        Assert.Equal(started.BatchId, completed.BatchId);
        var calls = events.Where(e => e.Name is "tool_call_started" or "tool_call_completed").ToList();
        Assert.Equal(6, calls.Count);
        foreach (var id in callIds)
        {
            var callStarted = calls.Single(c => c.CallId == id && c.Name == "tool_call_started");
            var callCompleted = calls.Single(c => c.CallId == id && c.Name == "tool_call_completed");
            Assert.True(started.Id < callStarted.Id && callStarted.Id < callCompleted.Id && callCompleted.Id < completed.Id, $"call {id} sits inside its batch");
            Assert.Equal("ok", callCompleted.Data.GetProperty("status").GetString());
            Assert.True(callCompleted.Data.GetProperty("latency_ms").GetDouble() >= 0);
        }
    }
}
