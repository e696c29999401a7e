using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tests.Filters.Support;
using static Moltworker.Kernel.Tests.Filters.Support.KernelHarness;

namespace Moltworker.Kernel.Tests.Filters;

public sealed class CallTimeoutTests
{
    [Fact]
    public async Task A_call_past_its_declared_timeout_becomes_a_timeout_result_and_its_sibling_survives()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tools:Retry:MaxRetries"] = "0" });
        h.Probe.Gate.SetResult();
        var run = h.RunBatchAsync(h.Turn(), Call("h", "hang"), Call("a", "gated_read", new { name = "a" }));
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(5));
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        var results = await run;
        Assert.Equal(ToolStatus.Timeout, results[0].Result!.Status);
        Assert.Contains("did not finish within 5 s", results[0].Result!.Content);
        Assert.Equal("read:a", results[1].Result!.Content);
    }

    [Fact]
    public async Task The_default_timeout_applies_to_tools_that_declare_none()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tools:DefaultTimeout"] = "00:00:12", ["Moltworker:Tools:Retry:MaxRetries"] = "0" });
        var run = h.RunBatchAsync(h.Turn(), Call("a", "gated_read", new { name = "a" }));
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(12));
        h.Clock.Advance(TimeSpan.FromSeconds(12));
        var results = await run;
        Assert.Equal(ToolStatus.Timeout, results[0].Result!.Status);
    }

    [Fact]
    public async Task Cancelling_the_turn_propagates_instead_of_becoming_a_result()
    {
        using var h = new KernelHarness();
        using var cts = new CancellationTokenSource();
        var run = h.RunBatchAsync(h.Turn(cancellationToken: cts.Token), Call("a", "gated_read", new { name = "a" }), Call("b", "gated_read", new { name = "b" }));
        await h.Probe.WaitEnteredAsync(2);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
