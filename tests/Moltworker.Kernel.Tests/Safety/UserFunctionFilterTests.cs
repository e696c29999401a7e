using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Moltworker.Kernel.Tests.Filters.Support;
using Moltworker.Testing.SemanticKernel;
using static Moltworker.Kernel.Tests.Filters.Support.KernelHarness;

namespace Moltworker.Kernel.Tests.Safety;

/// <summary>A user's SK <see cref="IFunctionInvocationFilter"/> registered in DI runs around every tool call the agent
/// loop dispatches, in parallel batches too, and can change what the model reads.</summary>
public sealed class UserFunctionFilterTests
{
    [Fact]
    public async Task A_user_filter_sees_every_call_of_a_three_call_parallel_batch_while_they_run_together()
    {
        var filter = new RecordingFunctionFilter();
        using var h = new KernelHarness(configure: s => s.AddSingleton<IFunctionInvocationFilter>(filter));
        var run = h.RunBatchAsync(h.Turn(), Call("a", "gated_read", new { name = "a" }), Call("b", "gated_read", new { name = "b" }), Call("c", "gated_read", new { name = "c" }));
        await h.Probe.WaitEnteredAsync(3);
        Assert.Equal(3, filter.Peak);
        h.Probe.Gate.SetResult();
        var results = await run;
        Assert.Equal(["read:a", "read:b", "read:c"], results.Select(r => r.Result!.Content));
        Assert.Equal(["gated_read", "gated_read", "gated_read"], filter.Names);
        Assert.All(filter.Calls, c => Assert.Contains("name", c.Arguments));
    }

    [Fact]
    public async Task A_user_filter_can_replace_the_result_the_model_reads()
    {
        using var h = new KernelHarness(configure: s => s.AddSingleton<IFunctionInvocationFilter>(new ReplacingFilter()));
        h.Probe.Gate.SetResult();
        var results = await h.RunBatchAsync(h.Turn(), Call("a", "gated_read", new { name = "a" }));
        Assert.Equal("filtered:read:a", results[0].Result!.Content);
    }

    private sealed class ReplacingFilter : IFunctionInvocationFilter
    {
        public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
        {
            await next(context);
            context.Result = new FunctionResult(context.Function, $"filtered:{context.Result.GetValue<object>()}");
        }
    }
}
