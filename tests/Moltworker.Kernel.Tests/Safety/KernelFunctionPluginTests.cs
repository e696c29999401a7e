using System.Text.Json;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Tests.Filters.Support;
using static Moltworker.Kernel.Tests.Filters.Support.KernelHarness;

namespace Moltworker.Kernel.Tests.Safety;

/// <summary>SK plugin classes in the catalog and the hosted kernel; an undeclared <c>[KernelFunction]</c> through every
/// rule that reads the safety declarations.</summary>
public sealed class KernelFunctionPluginTests
{
    [Fact]
    public void Every_tool_is_a_KernelFunction_in_the_hosted_kernel_with_its_declarations_in_the_metadata()
    {
        using var h = new KernelHarness();
        var kernel = h.Get<Microsoft.SemanticKernel.Kernel>();
        Assert.Same(h.Get<HostedKernel>().Kernel, kernel);
        var function = kernel.Plugins.GetFunction("test", "slow_read");
        var metadata = Assert.IsType<ToolMetadata>(function.Metadata.AdditionalProperties[ToolMetadata.Key]);
        Assert.True(metadata.SafeToRunAlongside);
        Assert.Equal(ToolMetadata.Undeclared with { Plugin = "test" }, ToolMetadata.Of(h.Get<PluginCatalog>().Find("undeclared_write")!));

        // The ToolContext parameter is the kernel's to fill: the model never sees it.
        var schema = h.Get<PluginCatalog>().Find("slow_read")!.JsonSchema;
        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["name"], properties);
        Assert.DoesNotContain("context", schema.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, schema.GetProperty("required").ValueKind);
    }

    [Fact]
    public async Task An_undeclared_function_runs_alone_and_is_not_retried_on_a_transient_failure()
    {
        using var h = new KernelHarness();
        h.Probe.FlakyFailures = 1;
        var run = h.RunBatchAsync(h.Turn(), Call("a", "slow_read", new { name = "a" }), Call("u", "undeclared_write"), Call("b", "slow_read", new { name = "b" }));
        await h.Probe.WaitEnteredAsync(1);
        Assert.Equal(1, h.Probe.InFlight);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.Probe.WaitEnteredAsync(3);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        var results = await run;
        Assert.Equal(1, h.Probe.Peak);
        Assert.Contains("503", results[1].Result!.Content);
        Assert.Single(h.Probe.Attempts); // no second attempt: not safe to repeat
    }

    [Fact]
    public async Task An_undeclared_function_with_an_intent_and_no_result_is_in_doubt_after_a_crash()
    {
        using var h = new KernelHarness();
        var turn = h.Turn(taskId: "u1");
        turn.IsResumed = true;
        await h.Create<DurableTaskTracker>().StartedAsync(turn, default);
        await h.Get<IToolJournal>().RecordIntentAsync(new JournalEntry { Key = "u1:1:u", TaskId = "u1", Step = 1, CallId = "u", Tool = "undeclared_write", SideEffects = true }, default);

        var paused = await Assert.ThrowsAsync<TaskPausedException>(() => h.RunBatchAsync(turn, Call("u", "undeclared_write")));
        Assert.Contains("cannot tell whether it took effect", paused.Message);
        Assert.Empty(h.Probe.Executions);
    }

    [Fact]
    public async Task The_kernel_function_gets_its_tool_context_through_the_kernel_arguments()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        var results = await h.RunBatchAsync(h.Turn(taskId: "ctx"), Call("c1", "gated_read", new { name = "a" }));
        Assert.Equal("read:a", results[0].Result!.Content);
        Assert.Equal(["ctx:1:c1"], h.Probe.Executions.Keys);
        Assert.Equal(ToolStatus.Ok, results[0].Result!.Status);
    }
}
