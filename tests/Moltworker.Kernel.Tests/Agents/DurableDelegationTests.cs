using Microsoft.Extensions.AI;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Tests.Filters.Support;
using static Moltworker.Kernel.Tests.Filters.Support.ScriptedChatClient;

namespace Moltworker.Kernel.Tests.Agents;

/// <summary>Durable child threads on SQLite, with the scripted model (a call answers 50 + 5 tokens, an answer 100 + 10):
/// each delegation has a row under its task; a call that meets an ended thread reads it back without running it; the
/// tree gives each thread its own usage, and the task's total is their sum.</summary>
public sealed class DurableDelegationTests
{
    private static readonly ChatAddress Chat = new("test", "chat1", "user1");

    private static KernelHarness Harness()
    {
        var h = new KernelHarness(agentFrontMatter: "phases: [work]\ndelegates_to: [a, b]");
        foreach (var name in new[] { "a", "b" })
            File.WriteAllText(Path.Combine(h.Root, "prompts", "agents", $"{name}.md"), $"---\ntools: []\n---\nI am {name}.");
        return h;
    }

    private static string Who(IReadOnlyList<ChatMessage> request) =>
        request[0].Text.Contains("I am a.", StringComparison.Ordinal) ? "a" : request[0].Text.Contains("I am b.", StringComparison.Ordinal) ? "b" : "parent";

    private static List<string> Results(IReadOnlyList<ChatMessage> request) =>
        request.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents.OfType<FunctionResultContent>()).Select(r => (string)r.Result!).ToList();

    [Fact]
    public async Task A_call_that_meets_an_ended_thread_reads_its_answer_or_error_and_usage_back_without_running_it()
    {
        using var h = Harness();
        var taskId = TaskIds.For(Chat, "m1");
        var threads = h.Get<ITaskThreadStore>();
        var at = h.Clock.GetUtcNow();
        await threads.RecordAsync(new TaskThread { Id = $"{taskId}/1.d1", TaskId = taskId, ToolCallId = "d1", Agent = "a", Status = TaskThreadStatus.Completed,
            Answer = "stored answer", InputTokens = 7, OutputTokens = 3, StartedAt = at, EndedAt = at }, default);
        await threads.RecordAsync(new TaskThread { Id = $"{taskId}/1.d2", TaskId = taskId, ToolCallId = "d2", Agent = "b", Status = TaskThreadStatus.Failed,
            Error = "it broke", InputTokens = 11, OutputTokens = 1, StartedAt = at, EndedAt = at }, default);
        var children = 0;
        List<string>? seen = null;
        h.Model.Responder = (request, _, _) =>
        {
            if (Who(request) != "parent") Interlocked.Increment(ref children);
            return Task.FromResult(ToolRounds(request) == 0
                ? Calls_(("d1", "ask_a", new { message = "x" }), ("d2", "ask_b", new { message = "y" }))
                : Answer(string.Join(" | ", seen = Results(request))));
        };

        var reply = await h.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go") { MessageId = "m1" }, default);

        Assert.False(reply.IsError, reply.Text);
        Assert.Equal(0, children);
        Assert.Equal(["stored answer", "Error: Agent 'b' did not finish: it broke"], seen);
        Assert.Empty(h.EventsOf<DelegationStarted>());
        Assert.Equal((150 + 7 + 11, 15 + 3 + 1), (reply.Usage!.InputTokenCount, reply.Usage.OutputTokenCount));
    }

    [Fact]
    public async Task A_delegation_is_a_thread_of_its_task_and_the_tree_sums_each_threads_own_usage_to_the_tasks_total()
    {
        using var h = Harness();
        h.Model.Responder = (request, _, _) => Task.FromResult((Who(request), ToolRounds(request)) switch
        {
            ("parent", 0) => Calls_(("d1", "ask_a", new { message = "x" })),
            ("parent", _) => Answer("done"),
            _ => Answer("a says hi"),
        });

        var reply = await h.AskAsync("go");

        var taskId = reply.TaskId!;
        var stored = await h.Get<ITaskThreadStore>().ListAsync(taskId, default);
        var child = Assert.Single(stored, t => t.Id != taskId);
        Assert.Equal(($"{taskId}/1.d1", (string?)null, "d1", "a", TaskThreadStatus.Completed, "a says hi"),
            (child.Id, child.ParentId, child.ToolCallId, child.Agent, child.Status, child.Answer));
        var task = (await h.Get<ITaskStore>().GetAsync(taskId, default))!;

        var tree = ThreadTree.Build(task, stored, h.Get<ModelCatalog>());

        Assert.Equal("completed", tree.Status);
        Assert.Equal(new ThreadUsage(150, 15, (150 * 2m + 15 * 8m) / 1_000_000m), tree.Own);
        var node = Assert.Single(tree.Children);
        Assert.Equal(new ThreadUsage(100, 10, (100 * 2m + 10 * 8m) / 1_000_000m), node.Own);
        Assert.Equal(tree.Own!.Plus(node.Own!), tree.Total);
        Assert.Equal((reply.Usage!.InputTokenCount, reply.Usage.OutputTokenCount), (tree.Total.InputTokens, tree.Total.OutputTokens));
    }

    [Fact]
    public async Task A_childs_row_is_first_written_by_its_checkpoint_before_its_first_batch_not_when_it_starts()
    {
        using var h = Harness();
        File.WriteAllText(Path.Combine(h.Root, "prompts", "agents", "a.md"), "---\ntools: [slow_read]\n---\nI am a.");
        h.Probe.Delay = TimeSpan.Zero;
        var threads = h.Get<ITaskThreadStore>();
        var threadId = $"{TaskIds.For(Chat, "m1")}/1.d1";
        var seen = new List<(TaskThreadStatus?, bool)>();
        h.Model.Responder = async (request, _, _) =>
        {
            if (Who(request) == "parent") return ToolRounds(request) == 0 ? Calls_(("d1", "ask_a", new { message = "x" })) : Answer("done");
            seen.Add(((await threads.GetAsync(threadId, default))?.Status, await threads.LoadCheckpointAsync(threadId, default) is not null));
            return ToolRounds(request) == 0 ? Calls_(("r1", "slow_read", new { name = "a" })) : Answer("a read it");
        };

        var reply = await h.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go") { MessageId = "m1" }, default);

        Assert.False(reply.IsError, reply.Text);
        // Asked first, the child has no row (a crash here would run it afresh, which is all a first checkpoint could do);
        // asked after its batch, its row holds the checkpoint taken before that batch.
        Assert.Equal([((TaskThreadStatus?)null, false), (TaskThreadStatus.Running, true)], seen);
        var ended = (await threads.GetAsync(threadId, default))!;
        Assert.Equal((TaskThreadStatus.Completed, "a read it", "d1"), (ended.Status, ended.Answer, ended.ToolCallId));
        Assert.True(ended.StartedAt <= ended.EndedAt);
    }

    [Fact]
    public void A_running_task_has_no_root_usage_yet_and_a_running_child_is_not_taken_from_its_parents_count()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        var task = new DurableTask { Id = "t", Address = Chat, Agent = "default", CreatedAt = t0 };
        var models = new ModelCatalog([new ModelInfo { Id = "m", InputPricePerMillion = 1m, OutputPricePerMillion = 2m }]);
        TaskThread Thread(string id, string? parent, TaskThreadStatus status, long input) =>
            new() { Id = id, TaskId = "t", ParentId = parent, Agent = "a", Model = "m", Status = status, InputTokens = input, StartedAt = t0 };
        var threads = new[]
        {
            Thread("t/1.c", null, TaskThreadStatus.Running, 300),          // its count so far includes its ended child's 40
            Thread("t/1.c/2.g", "t/1.c", TaskThreadStatus.Completed, 40),
            Thread("t/1.c/3.h", "t/1.c", TaskThreadStatus.Running, 25),      // not added to its parent yet
        };

        var tree = ThreadTree.Build(task, threads, models);

        Assert.Equal("running", tree.Status);
        Assert.Null(tree.Own);
        var c = Assert.Single(tree.Children);
        Assert.Equal(260, c.Own!.InputTokens);
        Assert.Equal(260 + 40 + 25, c.Total.InputTokens);
        Assert.Equal(c.Total, tree.Total);
        Assert.Equal(["t/1.c/2.g", "t/1.c/3.h"], c.Children.Select(n => n.Thread.Id));
        Assert.Equal(325m / 1_000_000m, tree.Total.Cost);
    }
}
