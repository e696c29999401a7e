using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Tests.Filters.Support;
using static Moltworker.Kernel.Tests.Filters.Support.ScriptedChatClient;

namespace Moltworker.Kernel.Tests.Agents;

/// <summary>Agents asking agents, with the scripted model: each agent's prompt says who it is, and the script answers
/// by the system prompt of the request (the parent's "Test agent.", a child's "I am a.").</summary>
public sealed class DelegationTests
{
    private static KernelHarness Harness(string delegatesTo, Dictionary<string, string?>? settings = null, params (string Name, string FrontMatter)[] agents)
    {
        var h = new KernelHarness(settings, agentFrontMatter: $"phases: [work]\ndelegates_to: [{delegatesTo}]");
        foreach (var (name, front) in agents)
            File.WriteAllText(Path.Combine(h.Root, "prompts", "agents", $"{name}.md"), $"---\n{front}\n---\nI am {name}.");
        return h;
    }

    private static string Who(IReadOnlyList<ChatMessage> request) => request[0].Text.Contains("I am ", StringComparison.Ordinal)
        ? request[0].Text[(request[0].Text.LastIndexOf("I am ", StringComparison.Ordinal) + 5)..].TrimEnd('.')
        : "parent";

    private static List<FunctionResultContent> Results(IReadOnlyList<ChatMessage> request) =>
        request.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents.OfType<FunctionResultContent>()).ToList();

    [Fact]
    public async Task Three_delegations_whose_children_each_read_for_200_ms_finish_in_200_ms_with_results_in_call_order()
    {
        using var h = Harness("a, b, c", null, ("a", "tools: [slow_read]"), ("b", "tools: [slow_read]"), ("c", "tools: [slow_read]"));
        h.Probe.Delay = TimeSpan.FromMilliseconds(200);
        var final = new TaskCompletionSource<List<FunctionResultContent>>();
        h.Model.Responder = (request, _, _) => Task.FromResult(Who(request) switch
        {
            "parent" when ToolRounds(request) == 0 => Calls_(("d1", "ask_a", new { message = "job a" }), ("d2", "ask_b", new { message = "job b" }), ("d3", "ask_c", new { message = "job c" })),
            "parent" => Record(final, Results(request)),
            var child when ToolRounds(request) == 0 => Calls_(("r1", "slow_read", new { name = child })),
            var child => Answer($"{child} found {Results(request).Single().Result}"),
        });

        var run = h.AskAsync("go");
        await h.Probe.WaitEnteredAsync(3); // all three children read at once
        h.Clock.Advance(TimeSpan.FromMilliseconds(200));
        var reply = await run;

        Assert.False(reply.IsError, reply.Text);
        Assert.Equal(TimeSpan.FromMilliseconds(200), h.Clock.Elapsed);
        Assert.Equal(3, h.Probe.Peak);
        var results = await final.Task;
        Assert.Equal(["d1", "d2", "d3"], results.Select(r => r.CallId));
        Assert.Equal(["a found read:a", "b found read:b", "c found read:c"], results.Select(r => (string)r.Result!));
        Assert.True(h.EventsOf<BatchStarted>().First(b => b.Tools.Contains("ask_a")).Parallel);
    }

    private static ChatResponse Record(TaskCompletionSource<List<FunctionResultContent>> final, List<FunctionResultContent> results)
    {
        final.TrySetResult(results);
        return Answer("all done");
    }

    [Fact]
    public async Task A_child_sees_only_its_prompt_and_the_delegation_and_two_concurrent_children_do_not_see_each_other()
    {
        using var h = Harness("a", null, ("a", "tools: [gated_read]"));
        var childRequests = new ConcurrentQueue<IReadOnlyList<ChatMessage>>();
        List<ChatMessage>? parentSecond = null;
        h.Model.Responder = (request, _, _) =>
        {
            if (Who(request) == "parent")
            {
                if (ToolRounds(request) == 0)
                    return Task.FromResult(Calls_(("d1", "ask_a", new { message = "alpha" }), ("d2", "ask_a", new { message = "beta", context = "the beta facts" })));
                parentSecond = [.. request];
                return Task.FromResult(Answer("done"));
            }
            childRequests.Enqueue(request);
            var mine = request[1].Text.StartsWith("alpha", StringComparison.Ordinal) ? "alpha" : "beta";
            return Task.FromResult(ToolRounds(request) == 0 ? Calls_(("r1", "gated_read", new { name = mine })) : Answer($"answer {mine}"));
        };

        var run = h.AskAsync("secret parent question");
        await h.Probe.WaitEnteredAsync(2); // both children are mid-thread at once
        h.Probe.Gate.SetResult();
        var reply = await run;

        Assert.False(reply.IsError, reply.Text);
        var firsts = childRequests.Where(r => ToolRounds(r) == 0).ToList();
        Assert.Equal(2, firsts.Count);
        foreach (var first in firsts)
        {
            Assert.Equal([ChatRole.System, ChatRole.User], first.Select(m => m.Role));
            Assert.EndsWith("I am a.", first[0].Text);
        }
        Assert.Contains(firsts, f => f[1].Text == "alpha");
        Assert.Contains(firsts, f => f[1].Text == "beta\n\nContext:\nthe beta facts");
        foreach (var request in childRequests)
        {
            var text = string.Join("\n", request.Select(m => m.Text + string.Join(",", Results(request).Select(r => r.Result))));
            Assert.DoesNotContain("secret parent question", text);
            var mine = request[1].Text.StartsWith("alpha", StringComparison.Ordinal) ? "alpha" : "beta";
            Assert.DoesNotContain(mine == "alpha" ? "beta" : "alpha", text);
        }
        // The parent sees each child's answer as its call's result, never the child's own messages.
        Assert.Equal(["answer alpha", "answer beta"], Results(parentSecond!).Select(r => (string)r.Result!));
        Assert.DoesNotContain(parentSecond!, m => m.Contents.OfType<FunctionCallContent>().Any(c => c.Name == "gated_read"));
    }

    [Fact]
    public async Task A_cycle_is_refused_with_a_result_naming_it()
    {
        using var h = Harness("a", null, ("a", "tools: []\ndelegates_to: [default]"));
        string? refusal = null;
        h.Model.Responder = (request, _, _) => Task.FromResult((Who(request), ToolRounds(request)) switch
        {
            ("parent", 0) => Calls_(("d1", "ask_a", new { message = "go on" })),
            ("parent", _) => Answer("done"),
            ("a", 0) => Calls_(("x1", "ask_default", new { message = "back to you" })),
            _ => Answer(refusal = (string)Results(request).Single().Result!),
        });

        var reply = await h.AskAsync("go");

        Assert.False(reply.IsError, reply.Text);
        Assert.Contains("cycle (default → a → default)", refusal);
        Assert.Single(h.EventsOf<DelegationStarted>()); // the refused one never started
    }

    [Fact]
    public async Task The_depth_limit_holds()
    {
        using var h = Harness("a", new() { ["Moltworker:Agents:MaxDepth"] = "1" }, ("a", "tools: []\ndelegates_to: [b]"), ("b", "tools: []"));
        string? refusal = null;
        h.Model.Responder = (request, _, _) => Task.FromResult((Who(request), ToolRounds(request)) switch
        {
            ("parent", 0) => Calls_(("d1", "ask_a", new { message = "go on" })),
            ("parent", _) => Answer("done"),
            ("a", 0) => Calls_(("x1", "ask_b", new { message = "deeper" })),
            ("a", _) => Answer(refusal = (string)Results(request).Single().Result!),
            _ => Answer("b should not run"),
        });

        await h.AskAsync("go");

        Assert.Contains("delegation 2 deep (default → a → b); the limit is 1", refusal);
        Assert.Equal(["a"], h.EventsOf<DelegationStarted>().Select(e => e.Target));
    }

    [Fact]
    public async Task Cancelling_the_parent_cancels_the_children()
    {
        using var h = Harness("a", null, ("a", "tools: [gated_read]"));
        h.Model.Responder = (request, _, _) => Task.FromResult((Who(request), ToolRounds(request)) switch
        {
            ("parent", 0) => Calls_(("d1", "ask_a", new { message = "wait" })),
            ("a", 0) => Calls_(("r1", "gated_read", new { name = "never" })),
            _ => Answer("should not get here"),
        });
        using var cts = new CancellationTokenSource();

        var run = h.AskAsync("go", cts.Token);
        await h.Probe.WaitEnteredAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await h.Probe.WaitExitedAsync(1); // the child's tool saw its token cancelled and left
        Assert.Equal(0, h.Probe.InFlight);
        await h.WaitForEventAsync<DelegationCompleted>(); // published in the runner's finally, which can end after the parent's task
        Assert.Single(h.EventsOf<DelegationCompleted>());
    }

    [Fact]
    public async Task A_failing_child_gives_an_error_result_and_its_sibling_is_untouched()
    {
        using var h = Harness("a, b", null, ("a", "tools: []"), ("b", "tools: []"));
        List<FunctionResultContent>? results = null;
        h.Model.Responder = (request, _, _) => (Who(request), ToolRounds(request)) switch
        {
            ("parent", 0) => Task.FromResult(Calls_(("d1", "ask_a", new { message = "x" }), ("d2", "ask_b", new { message = "y" }))),
            ("parent", _) => Task.FromResult(Answer((results = Results(request)).Count.ToString())),
            ("a", _) => throw new InvalidOperationException("child a broke"),
            _ => Task.FromResult(Answer("b is fine")),
        };

        var reply = await h.AskAsync("go");

        Assert.False(reply.IsError, reply.Text);
        Assert.Contains("child a broke", (string)results![0].Result!);
        Assert.Equal("b is fine", (string)results[1].Result!);
    }

    [Fact]
    public async Task The_task_budget_counts_calls_across_threads()
    {
        using var h = Harness("a", new() { ["Moltworker:Agents:MaxToolCallsPerTask"] = "2" }, ("a", "tools: [secret_echo, write]"));
        string? childSaw = null;
        h.Model.Responder = (request, _, _) => Task.FromResult((Who(request), ToolRounds(request)) switch
        {
            ("parent", 0) => Calls_(("d1", "ask_a", new { message = "write twice" })),
            ("parent", _) => Answer("done"),
            ("a", 0) => Calls_(("w1", "write", new { item = "one" }), ("w2", "write", new { item = "two" })),
            _ => Answer(childSaw = string.Join(" | ", Results(request).Select(r => r.Result))),
        });

        await h.AskAsync("go");

        Assert.StartsWith("wrote:one | ", childSaw);
        Assert.Contains("Moltworker:Agents:MaxToolCallsPerTask", childSaw);
        Assert.Equal(["one"], h.Probe.Order);
    }

    [Fact]
    public async Task A_child_cannot_call_a_tool_outside_its_list_and_events_come_in_causal_order()
    {
        using var h = Harness("a", null, ("a", "tools: [slow_read]"));
        string? childSaw = null;
        var startedBeforeChildModel = false;
        h.Model.Responder = (request, _, _) => Task.FromResult((Who(request), ToolRounds(request)) switch
        {
            ("parent", 0) => Calls_(("d1", "ask_a", new { message = "try writing" })),
            ("parent", _) => Answer("done"),
            ("a", 0) => (startedBeforeChildModel = h.EventsOf<DelegationStarted>().Count == 1) ? Calls_(("w1", "write", new { item = "x" })) : Answer("?"),
            _ => Answer(childSaw = (string)Results(request).Single().Result!),
        });

        await h.AskAsync("go");

        Assert.Contains("unknown tool 'write'", childSaw);
        Assert.Empty(h.Probe.Order);
        Assert.True(startedBeforeChildModel);
        var started = h.EventsOf<DelegationStarted>().Single();
        var completed = h.EventsOf<DelegationCompleted>().Single();
        Assert.Equal(("a", "default", "d1"), (started.Target, started.Caller, started.ToolCallId));
        Assert.Equal(started.ThreadId, completed.ThreadId);
        List<KernelEvent> all;
        lock (h.Events) all = [.. h.Events];
        Assert.True(all.IndexOf(started) < all.FindIndex(e => e is PhaseChanged { Phase: "work" } && all.IndexOf(e) > all.IndexOf(started)));
        Assert.True(all.IndexOf(completed) < all.FindIndex(e => e is CallFinished { Tool: "ask_a" }));
    }

    [Fact]
    public async Task Each_agent_reports_its_own_state_and_the_childs_events_name_its_thread_and_agent()
    {
        using var h = Harness("a", null, ("a", "tools: [slow_read]"));
        h.Probe.Delay = TimeSpan.Zero; // the read ends at once on the manual clock
        h.Model.Responder = (request, _, _) => Task.FromResult((Who(request), ToolRounds(request)) switch
        {
            ("parent", 0) => Calls_(("d1", "ask_a", new { message = "read" })),
            ("parent", _) => Answer("done"),
            ("a", 0) => Calls_(("r1", "slow_read", new { name = "x" })),
            _ => Answer("read it"),
        });

        await h.AskAsync("go");

        var thread = h.EventsOf<DelegationStarted>().Single().ThreadId;
        var states = h.EventsOf<PoStateChanged>();
        // The parent's own state events name no thread (the task's root) and no agent other than its own turn's.
        Assert.Contains(states, s => s is { Status: PoStatus.Thinking, FromThreadId: null, FromAgent: "default" });
        Assert.Contains(states, s => s is { Status: PoStatus.CallingTool, FromThreadId: null, FromAgent: "default" });
        // The child's state and its tool call carry the child's thread and agent.
        Assert.Contains(states, s => s.Status == PoStatus.Thinking && s.FromThreadId == thread && s.FromAgent == "a");
        Assert.Contains(states, s => s.Status == PoStatus.CallingTool && s.FromThreadId == thread && s.FromAgent == "a");
        Assert.Equal((thread, "a"), h.EventsOf<CallFinished>().Where(c => c.Tool == "slow_read").Select(c => (c.FromThreadId, c.FromAgent)).Single());
        // The delegation events are the caller's: they happen in the parent's thread.
        Assert.Null(h.EventsOf<DelegationStarted>().Single().FromThreadId);
    }
}
