using Microsoft.Extensions.AI;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tests.Filters.Support;

namespace Moltworker.Kernel.Tests.Filters;

public sealed class MalformedInputTests
{
    [Fact]
    public async Task Huge_hanging_and_background_throwing_tools_end_the_turn_with_clear_results()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tools:Retry:MaxRetries"] = "0" });
        IReadOnlyList<FunctionResultContent>? seen = null;
        h.Model.Responder = (messages, _, _) =>
        {
            if (ScriptedChatClient.ToolRounds(messages) == 0)
                return Task.FromResult(ScriptedChatClient.Calls_(("big", "huge", null), ("stuck", "hang", null), ("bg", "bg_throw", null)));
            seen = messages.Last().Contents.OfType<FunctionResultContent>().ToList();
            return Task.FromResult(ScriptedChatClient.Answer("handled"));
        };
        var ask = h.AskAsync("try the broken tools");
        await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(5)); // the hanging tool's declared timeout
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        var reply = await ask;

        Assert.Equal("handled", reply.Text);
        Assert.NotNull(seen);
        Assert.Equal(["big", "stuck", "bg"], seen!.Select(r => r.CallId));
        var big = seen[0].Result!.ToString()!;
        Assert.True(big.Length < 20_000, $"the 10 MB result reached the model with {big.Length} chars");
        Assert.Contains("[truncated: the result had 10,485,760 characters", big);
        Assert.Contains("did not finish within 5 s", seen[1].Result!.ToString());
        Assert.Contains("thrown on a worker thread", seen[2].Result!.ToString());
    }

    [Fact]
    public async Task Unknown_tools_and_broken_arguments_still_get_exactly_one_result_each()
    {
        using var h = new KernelHarness();
        var results = await h.RunBatchAsync(h.Turn(), KernelHarness.Call("x", "no_such_tool"), KernelHarness.Call("y", "write", new { wrong = 1 }));
        Assert.Equal(2, results.Count);
        Assert.Contains("unknown tool", results[0].Result!.Content);
        Assert.Contains("missing required argument", results[1].Result!.Content);
        Assert.All(results, r => Assert.Equal(ToolStatus.Error, r.Result!.Status));
    }
}
