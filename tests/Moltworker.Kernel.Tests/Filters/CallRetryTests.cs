using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tests.Filters.Support;
using Moltworker.Kernel.Transactions;
using static Moltworker.Kernel.Tests.Filters.Support.KernelHarness;

namespace Moltworker.Kernel.Tests.Filters;

public sealed class CallRetryTests
{
    [Fact]
    public async Task A_transient_failure_of_a_parallel_safe_tool_is_retried_after_2_and_4_seconds_with_the_same_key()
    {
        using var h = new KernelHarness();
        h.Probe.FlakyFailures = 2;
        var run = h.RunBatchAsync(h.Turn(), Call("f", "flaky_read"));
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(4));
        h.Clock.Advance(TimeSpan.FromSeconds(4));
        var results = await run;
        Assert.Equal("ok after 3", results[0].Result!.Content);
        Assert.Equal([1, 2, 3], h.Probe.Attempts.Select(a => a.Attempt));
        Assert.Single(h.Probe.Attempts.Select(a => a.Key).Distinct());
        var rows = await h.Get<ITransactionLog>().QueryAsync(new TransactionQuery { Name = "flaky_read" }, default);
        Assert.Equal([3, 2, 1], rows.Select(r => r.Attempt));
        Assert.Equal(["Ok", "Error", "Error"], rows.Select(r => r.Status));
    }

    [Fact]
    public async Task Retries_stop_after_three_with_delays_of_2_4_and_8_seconds()
    {
        using var h = new KernelHarness();
        h.Probe.FlakyFailures = 100;
        var run = h.RunBatchAsync(h.Turn(), Call("f", "flaky_read"));
        foreach (var s in new[] { 2, 4, 8 })
        {
            await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(s));
            h.Clock.Advance(TimeSpan.FromSeconds(s));
        }
        var results = await run;
        Assert.True(results[0].Result!.IsError);
        Assert.Equal(4, h.Probe.Attempts.Count);
    }

    [Fact]
    public async Task Retry_after_from_the_upstream_wins_over_the_backoff()
    {
        using var h = new KernelHarness();
        h.Probe.FlakyFailures = 1;
        h.Probe.RetryAfter = TimeSpan.FromSeconds(7);
        var run = h.RunBatchAsync(h.Turn(), Call("f", "flaky_read"));
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(7));
        h.Clock.Advance(TimeSpan.FromSeconds(7));
        var results = await run;
        Assert.Equal("ok after 2", results[0].Result!.Content);
    }

    [Fact]
    public async Task Calls_of_a_tool_composed_batch_are_not_retried_only_the_outer_call_is()
    {
        using var h = new KernelHarness();
        h.Probe.FlakyFailures = 1;
        var invoker = h.Get<Moltworker.Abstractions.IToolInvoker>();
        var outcomes = await invoker.InvokeBatchAsync(
            [new Moltworker.Abstractions.ToolRequest("flaky_read", new Dictionary<string, object?>())],
            new Moltworker.Abstractions.ToolContext { TaskId = "t-composed", CallId = "outer" }, default)
            .WaitAsync(TimeSpan.FromSeconds(10)); // a retry would wait on the manual clock forever
        Assert.True(outcomes[0].IsError);
        Assert.Single(h.Probe.Attempts);
    }

    [Fact]
    public async Task A_retried_composing_call_runs_its_failed_reads_again_but_not_its_done_writes()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        h.Probe.FlakyFailures = 1;
        var invoker = h.Get<Moltworker.Abstractions.IToolInvoker>();
        Moltworker.Abstractions.ToolRequest[] calls =
        [
            new("write", new Dictionary<string, object?> { ["item"] = "x" }),
            new("flaky_read", new Dictionary<string, object?>()),
        ];
        var first = await invoker.InvokeBatchAsync(calls, new Moltworker.Abstractions.ToolContext { TaskId = "t-retried", CallId = "outer", Attempt = 1 }, default);
        Assert.True(first[1].IsError);

        // The composing call is retried (same call id, next attempt): the same sub-batch runs again.
        var second = await invoker.InvokeBatchAsync(calls, new Moltworker.Abstractions.ToolContext { TaskId = "t-retried", CallId = "outer", Attempt = 2 }, default);
        Assert.False(second[1].IsError, second[1].Content);
        Assert.Equal(2, h.Probe.Attempts.Count);               // the read ran again…
        Assert.Equal(1, h.Probe.Executions.Single(e => e.Key.EndsWith("outer_0", StringComparison.Ordinal)).Value);   // …the write did not
        Assert.Equal("wrote:x", second[0].Content);
    }

    [Fact]
    public async Task A_side_effecting_call_is_never_retried_blindly()
    {
        using var h = new KernelHarness();
        h.Probe.FlakyFailures = 1;
        var results = await h.RunBatchAsync(h.Turn(), Call("w", "flaky_write"));
        Assert.True(results[0].Result!.IsError);
        Assert.Contains("503", results[0].Result!.Content);
        Assert.Single(h.Probe.Attempts);
    }

    [Fact]
    public async Task A_side_effecting_tool_that_honours_the_idempotency_key_is_retried()
    {
        using var h = new KernelHarness();
        h.Probe.FlakyFailures = 1;
        var run = h.RunBatchAsync(h.Turn(), Call("w", "flaky_idem_write"));
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var results = await run;
        Assert.Equal("ok after 2", results[0].Result!.Content);
    }
}
