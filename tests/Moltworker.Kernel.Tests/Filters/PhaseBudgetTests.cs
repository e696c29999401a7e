using Microsoft.Extensions.AI;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Filters.Budgets;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Tests.Filters.Support;

namespace Moltworker.Kernel.Tests.Filters;

public sealed class PhaseBudgetTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(480);

    [Fact]
    public async Task Running_out_commits_the_checkpoint_before_the_exception_propagates()
    {
        using var h = new KernelHarness();
        var store = h.Get<ITaskStore>();
        var turn = h.Turn(taskId: "budget1");
        await h.Create<DurableTaskTracker>().StartedAsync(turn, default);
        var filter = h.Create<PhaseBudgetFilter>();

        var running = filter.OnTurnAsync(turn, async t =>
        {
            t.History.Add(new ChatMessage(ChatRole.Assistant, "progress made before the budget ran out"));
            await Task.Delay(Timeout.Infinite, t.CancellationToken);
        });
        await h.Clock.WaitForTimerAsync(Budget);
        h.Clock.Advance(Budget);
        var hit = await Assert.ThrowsAsync<PhaseBudgetExceededException>(() => running);

        // When the exception arrives, the checkpoint with the latest state and the counter are already committed.
        var checkpoint = TaskCheckpoint.Decode("budget1", (await store.LoadCheckpointAsync("budget1", default))!);
        Assert.Contains(checkpoint.History, m => m.Text == "progress made before the budget ran out");
        var task = (await store.GetAsync("budget1", default))!;
        Assert.Equal(1, task.AutoResumeCount);
        Assert.Equal(1, hit.AutoResumeCount);
        Assert.Contains("ran out of its 480 s budget", task.LastError);
    }

    [Fact]
    public async Task A_phase_inside_its_budget_is_left_alone()
    {
        using var h = new KernelHarness();
        h.Model.Responder = (_, _, _) => Task.FromResult(ScriptedChatClient.Answer("quick answer"));
        var reply = await h.AskAsync("hi");
        Assert.False(reply.IsError);
        Assert.Equal("quick answer", reply.Text);
        var task = (await h.Get<ITaskStore>().GetAsync(reply.TaskId!, default))!;
        Assert.Equal(0, task.AutoResumeCount);
        Assert.Equal(DurableTaskStatus.Completed, task.Status);
        Assert.Empty(h.EventsOf<TaskResumed>());
        // The budget was armed (the default work budget, 480 s) even though it never fired.
        Assert.Contains(TimeSpan.FromSeconds(480), h.Clock.RequestedDelays);
    }

    [Fact]
    public async Task A_budget_hit_resumes_from_the_checkpoint_with_a_fresh_budget_and_counts_the_resume()
    {
        using var h = new KernelHarness(agentFrontMatter: "phases: [work]\nbudgets: { work: 20s }");
        var firstCallStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Model.Responder = async (messages, n, ct) =>
        {
            if (ScriptedChatClient.ToolRounds(messages) == 0) return ScriptedChatClient.Calls_(("c1", "idem_write", new { item = "one" }));
            if (n == 2) { firstCallStarted.SetResult(); await Task.Delay(Timeout.Infinite, ct); }
            return ScriptedChatClient.Answer($"done after {n} model calls");
        };
        var ask = h.AskAsync("write one");
        await firstCallStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        h.Clock.Advance(TimeSpan.FromSeconds(20));
        var reply = await ask;

        Assert.False(reply.IsError, reply.Text);
        Assert.Equal("done after 3 model calls", reply.Text);
        Assert.Equal(1, h.Probe.Executions.Values.Sum()); // the write ran once: the resume reused the checkpoint
        var task = (await h.Get<ITaskStore>().GetAsync(reply.TaskId!, default))!;
        Assert.Equal(1, task.AutoResumeCount);
        Assert.Equal(DurableTaskStatus.Completed, task.Status);
        Assert.Contains("20 s budget", task.LastError);
        Assert.Single(h.EventsOf<TaskResumed>());
    }

    [Fact]
    public async Task A_budget_hit_cancels_the_calls_in_flight_and_the_resume_runs_the_unfinished_read_again()
    {
        using var h = new KernelHarness(agentFrontMatter: "phases: [work]\nbudgets: { work: 20s }");
        h.Model.Responder = (messages, _, _) => Task.FromResult(ScriptedChatClient.ToolRounds(messages) == 0
            ? ScriptedChatClient.Calls_(("r", "gated_read", new { name = "a" }))
            : ScriptedChatClient.Answer("read it"));
        var ask = h.AskAsync("read a");
        await h.Probe.WaitEnteredAsync(1);
        h.Clock.Advance(TimeSpan.FromSeconds(20)); // the read is still waiting: the budget runs out under it
        await h.Probe.WaitEnteredAsync(2);         // resumed with a fresh budget, the read (intent, no result) runs again
        h.Probe.Gate.SetResult();
        var reply = await ask;

        Assert.Equal("read it", reply.Text);
        var key = Assert.Single(h.Probe.Executions.Keys);
        Assert.Equal(2, h.Probe.Executions[key]);
        var entry = Assert.Single(await h.Get<IToolJournal>().ListAsync(reply.TaskId!, default));
        Assert.Equal((2, ToolStatus.Ok), (entry.Runs, entry.Status!.Value));
        Assert.Equal(ToolStatus.Cancelled, h.EventsOf<CallFinished>().First().Status);
        Assert.Equal(1, (await h.Get<ITaskStore>().GetAsync(reply.TaskId!, default))!.AutoResumeCount);
    }

    [Fact]
    public async Task After_the_maximum_of_auto_resumes_the_user_gets_a_failure_message()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tasks:MaxAutoResumes"] = "2", ["Moltworker:Tasks:Budgets:work"] = "00:00:30" });
        var calls = new SemaphoreSlim(0);
        h.Model.Responder = async (_, _, ct) => { calls.Release(); await Task.Delay(Timeout.Infinite, ct); return null!; };
        var ask = h.AskAsync("never finishes");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await calls.WaitAsync(TimeSpan.FromSeconds(20)));
            await h.Clock.WaitForTimerAsync(TimeSpan.FromSeconds(30));
            h.Clock.Advance(TimeSpan.FromSeconds(30));
        }
        var reply = await ask;
        Assert.True(reply.IsError);
        Assert.Contains("could not finish this task", reply.Text);
        Assert.Contains("MaxAutoResumes", reply.Text);
        var task = (await h.Get<ITaskStore>().GetAsync(reply.TaskId!, default))!;
        Assert.Equal(DurableTaskStatus.Failed, task.Status);
        Assert.Equal(3, task.AutoResumeCount);
        Assert.Equal(2, h.EventsOf<TaskResumed>().Count);
        Assert.Single(h.EventsOf<TaskFailed>());
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("8m", 480)]
    [InlineData("00:02:00", 120)]
    public void Budgets_parse_the_forms_front_matter_uses(string text, double seconds)
    {
        Assert.True(PhaseBudgets.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Fact]
    public void Budgets_come_from_front_matter_then_configuration_then_defaults()
    {
        using var h = new KernelHarness(new() { ["Moltworker:Tasks:Budgets:review"] = "00:00:45" }, agentFrontMatter: "phases: [plan, work, review]\nbudgets: { plan: 7s }");
        var budgets = h.Get<PhaseBudgets>();
        Assert.Equal(TimeSpan.FromSeconds(7), budgets.For("default", "plan"));
        Assert.Equal(TimeSpan.FromSeconds(480), budgets.For("default", "work"));
        Assert.Equal(TimeSpan.FromSeconds(45), budgets.For("default", "review"));
        Assert.Equal(TimeSpan.FromSeconds(120), budgets.For("other", "plan"));
    }
}
