using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tests.Filters.Support;
using static Moltworker.Kernel.Tests.Filters.Support.KernelHarness;

namespace Moltworker.Kernel.Tests.Filters;

public sealed class ParallelGateTests
{
    [Fact]
    public async Task Three_parallel_safe_calls_of_two_seconds_take_two_seconds_not_six()
    {
        using var h = new KernelHarness();
        var run = h.RunBatchAsync(h.Turn(), Call("a", "slow_read", new { name = "a" }), Call("b", "slow_read", new { name = "b" }), Call("c", "slow_read", new { name = "c" }));
        await h.Probe.WaitEnteredAsync(3); // all three are waiting at once: only possible when they run concurrently
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var results = await run;
        Assert.Equal(TimeSpan.FromSeconds(2), h.Clock.Elapsed);
        Assert.Equal(["read:a", "read:b", "read:c"], results.Select(r => r.Result!.Content));
        Assert.True(h.EventsOf<BatchStarted>().Single().Parallel);
        Assert.True(h.EventsOf<BatchCompleted>().Single().Parallel);
    }

    [Fact]
    public async Task One_side_effecting_call_makes_the_batch_sequential()
    {
        using var h = new KernelHarness();
        var run = h.RunBatchAsync(h.Turn(), Call("a", "slow_read", new { name = "a" }), Call("w", "write", new { item = "x" }), Call("b", "slow_read", new { name = "b" }));
        await h.Probe.WaitEnteredAsync(1);
        Assert.Equal(1, h.Probe.InFlight);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.Probe.WaitEnteredAsync(3); // the write ran, then b started
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var results = await run;
        Assert.Equal(1, h.Probe.Peak);
        Assert.Equal(TimeSpan.FromSeconds(4), h.Clock.Elapsed);
        Assert.Equal(["a", "x", "b"], h.Probe.Order);
        Assert.Equal(["read:a", "wrote:x", "read:b"], results.Select(r => r.Result!.Content));
        Assert.False(h.EventsOf<BatchStarted>().Single().Parallel);
    }

    [Fact]
    public async Task A_model_without_parallel_calls_runs_the_batch_sequentially()
    {
        using var h = new KernelHarness();
        var run = h.RunBatchAsync(h.Turn(SerialModel), Call("a", "slow_read", new { name = "a" }), Call("b", "slow_read", new { name = "b" }));
        await h.Probe.WaitEnteredAsync(1);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.Probe.WaitEnteredAsync(2);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await run;
        Assert.Equal(1, h.Probe.Peak);
        Assert.Equal(TimeSpan.FromSeconds(4), h.Clock.Elapsed);
    }

    [Fact]
    public async Task Parallel_off_in_configuration_runs_sequentially()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tools:Parallel"] = "false" });
        h.Probe.Gate.SetResult();
        await h.RunBatchAsync(h.Turn(), Call("a", "gated_read", new { name = "a" }), Call("b", "gated_read", new { name = "b" }));
        Assert.Equal(1, h.Probe.Peak);
        Assert.False(h.EventsOf<BatchStarted>().Single().Parallel);
    }

    [Fact]
    public async Task A_batch_composed_by_a_command_or_tool_has_no_model_and_may_run_in_parallel()
    {
        using var h = new KernelHarness();
        var turn = h.Turn();
        turn.Model = ModelInfo.None;
        var run = h.RunBatchAsync(turn, Call("a", "gated_read", new { name = "a" }), Call("b", "gated_read", new { name = "b" }));
        await h.Probe.WaitEnteredAsync(2);
        h.Probe.Gate.SetResult();
        await run;
        Assert.Equal(2, h.Probe.Peak);
    }

    [Fact]
    public async Task A_failing_call_leaves_its_siblings_results_intact_and_in_order()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        var results = await h.RunBatchAsync(h.Turn(), Call("a", "gated_read", new { name = "a" }), Call("f", "fail_read"), Call("b", "gated_read", new { name = "b" }));
        Assert.Equal(["a", "f", "b"], results.Select(r => r.Call.CallId));
        Assert.True(results[0].Result!.Status == ToolStatus.Ok, results[0].Result!.Content);
        Assert.Equal(ToolStatus.Ok, results[0].Result!.Status);
        Assert.Equal("read:a", results[0].Result!.Content);
        Assert.True(results[1].Result!.IsError);
        Assert.Contains("the disk is on fire", results[1].Result!.Content);
        Assert.Equal("read:b", results[2].Result!.Content);
    }

    [Fact]
    public async Task Results_keep_the_order_of_the_calls_when_they_finish_in_reverse()
    {
        using var h = new KernelHarness();
        foreach (var n in new[] { "a", "b", "c" }) h.Probe.PerCallGates[n] = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = h.RunBatchAsync(h.Turn(), Call("1", "gated_read", new { name = "a" }), Call("2", "gated_read", new { name = "b" }), Call("3", "gated_read", new { name = "c" }));
        await h.Probe.WaitEnteredAsync(3);
        foreach (var n in new[] { "c", "b", "a" })
        {
            var before = h.Probe.Order.Count;
            h.Probe.PerCallGates[n].SetResult();
            await h.Probe.WaitExitedAsync(before + 1);
        }
        var results = await run;
        Assert.Equal(["c", "b", "a"], h.Probe.Order);
        Assert.Equal(["read:a", "read:b", "read:c"], results.Select(r => r.Result!.Content));
    }

    [Fact]
    public async Task The_peak_of_calls_in_flight_equals_the_configured_cap()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tools:MaxConcurrency"] = "2" });
        var calls = Enumerable.Range(0, 5).Select(i => Call($"c{i}", "gated_read", new { name = $"n{i}" })).ToArray();
        var run = h.RunBatchAsync(h.Turn(), calls);
        await h.Probe.WaitEnteredAsync(2);
        Assert.Equal(2, h.Probe.InFlight);
        h.Probe.Gate.SetResult();
        var results = await run;
        Assert.Equal(2, h.Probe.Peak);
        Assert.All(results, r => Assert.Equal(ToolStatus.Ok, r.Result!.Status));
    }
}
