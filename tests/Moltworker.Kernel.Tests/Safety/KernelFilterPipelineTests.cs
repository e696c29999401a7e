using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Filters.SemanticKernel;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Tests.Filters.Support;
using static Moltworker.Kernel.Tests.Filters.Support.KernelHarness;

namespace Moltworker.Kernel.Tests.Safety;

/// <summary>The per-call concerns are SK function-invocation filters on the hosted kernel, in one written order, with a
/// user's filters inside them; each attempt of a call runs with its own token.</summary>
public sealed class KernelFilterPipelineTests
{
    [Fact]
    public void The_hosted_kernels_function_filters_are_the_per_call_concerns_in_FilterOrder_then_a_users()
    {
        using var h = new KernelHarness(configure: s => s.AddSingleton<IFunctionInvocationFilter>(new AttemptRecorder()));
        var filters = h.Get<HostedKernel>().Kernel.FunctionInvocationFilters.Select(f => f.GetType()).ToList();
        Assert.Equal([.. FilterOrder.Function, typeof(UserFunctionFilters)], filters);
    }

    [Fact]
    public async Task A_users_filter_runs_once_per_attempt_inside_the_retry_around_the_plugins_own_function()
    {
        var recorder = new AttemptRecorder();
        using var h = new KernelHarness(configure: s => s.AddSingleton<IFunctionInvocationFilter>(recorder));
        h.Probe.FlakyFailures = 2;

        var run = h.RunBatchAsync(h.Turn(), Call("f", "flaky_read"));
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(2)); // the first backoff; stepped by hand so no attempt timeout can pass
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(4)); // the second
        h.Clock.Advance(TimeSpan.FromSeconds(4));
        var results = await run;

        Assert.Equal("ok after 3", results[0].Result!.Content);
        Assert.Equal([1, 2, 3], recorder.Attempts);                            // inside the retry, once per attempt
        Assert.All(recorder.Functions, f => Assert.False(DispatchFunctions.Forwards(f))); // the plugin's own function
        Assert.All(recorder.Functions, f => Assert.Equal("flaky_read", f.Name));
    }

    [Fact]
    public async Task An_attempt_stopped_by_its_timeout_is_cancelled_and_the_retry_runs_with_a_fresh_token()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tools:DefaultTimeout"] = "00:00:10", ["Moltworker:Tools:Retry:MaxRetries"] = "1" });
        h.Probe.Delay = TimeSpan.FromMinutes(1);
        var run = h.RunBatchAsync(h.Turn(), Call("a", "slow_read", new { name = "a" }));

        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(10));
        h.Probe.Delay = TimeSpan.FromSeconds(1);        // the second attempt is quick
        h.Clock.Advance(TimeSpan.FromSeconds(10));        // the first attempt times out: its token is cancelled
        await h.Probe.WaitExitedAsync(1).WaitAsync(TimeSpan.FromSeconds(30)); // a sanity bound: without its own token the attempt runs on
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(2)); // the retry's backoff
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(1)); // the second attempt waits on a live token
        h.Clock.Advance(TimeSpan.FromSeconds(1));

        var results = await run;
        Assert.Equal("read:a", results[0].Result!.Content);
        Assert.Equal(2, h.Probe.Entered);
    }

    [Fact]
    public async Task A_tool_whose_name_SK_refuses_is_dispatched_under_a_valid_name_with_the_filters_around_it()
    {
        var tool = Microsoft.Extensions.AI.AIFunctionFactory.Create(() => "tick", "get-time");
        var kernel = new Microsoft.SemanticKernel.Kernel();
        var recorder = new AttemptRecorder();
        kernel.FunctionInvocationFilters.Add(recorder);

        var dispatch = DispatchFunctions.For(tool);
        var result = await dispatch.InvokeAsync(kernel);

        Assert.Equal("get_time", dispatch.Name);
        Assert.Equal("tick", result.GetValue<object>()?.ToString());
        Assert.Same(dispatch, Assert.Single(recorder.Functions));
    }

    /// <summary>A user's filter that records the function it runs around and the attempt number the call carries.</summary>
    private sealed class AttemptRecorder : IFunctionInvocationFilter
    {
        public List<int> Attempts { get; } = [];
        public List<KernelFunction> Functions { get; } = [];

        public Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
        {
            lock (Attempts)
            {
                Functions.Add(context.Function);
                if (context.Arguments.TryGetValue("context", out var value) && value is ToolContext tool) Attempts.Add(tool.Attempt);
            }
            return next(context);
        }
    }
}
