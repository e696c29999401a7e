using Microsoft.Extensions.AI;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Tests.Filters.Support;

namespace Moltworker.Kernel.Tests.Filters;

/// <summary>The end of a turn is two writes: the turn's messages, then the task's status. A task whose process died
/// between them is resumed as running, finds its turn kept and completes from the stored answer: no second model call,
/// no second copy of the turn in the conversation.</summary>
public sealed class KeptTurnResumeTests
{
    private static readonly ChatAddress Chat = new("test", "chat1", "user1");

    /// <summary>A previous owner ran the whole turn (one read, then the answer), kept its messages and died before the task
    /// row said Completed: the row is Running with the checkpoint of the last batch, the read's result in the journal.</summary>
    private static async Task<string> DiedAfterKeepingAsync(KernelHarness h, string taskId)
    {
        h.Model.Responder = (messages, _, _) => Task.FromResult(ScriptedChatClient.ToolRounds(messages) switch
        {
            0 => ScriptedChatClient.Calls_(("r1", "gated_read", new { name = "a" })),
            _ => ScriptedChatClient.Answer("answer (again): " + messages.Last().Contents.OfType<FunctionResultContent>().Single().Result),
        });
        var turn = h.Turn(taskId: taskId);
        turn.TurnStart = 0;
        var call = ScriptedChatClient.Calls_(("r1", "gated_read", new { name = "a" })).Messages[0];
        turn.History.Add(call);
        await h.Get<ITaskStore>().CreateAsync(new DurableTask { Id = taskId, Address = Chat, Agent = "default" }, "dead-owner",
            TaskCheckpoint.Of(turn).Encode(), default);
        var journal = h.Get<IToolJournal>();
        await journal.RecordIntentAsync(new JournalEntry { Key = $"{taskId}:1:r1", TaskId = taskId, Step = 1, CallId = "r1", Tool = "gated_read" }, default);
        await journal.RecordResultAsync($"{taskId}:1:r1", taskId, ToolResult.Ok("read:a"), 1, DateTimeOffset.UtcNow, default);
        await h.Get<IConversationStore>().AppendTurnAsync(new KeptTurn(taskId, Chat.ConversationKey, "answer: read:a"),
            [new(ChatRole.User, "go"), call, new(ChatRole.Tool, [new FunctionResultContent("r1", "read:a")]), new(ChatRole.Assistant, "answer: read:a")],
            KernelHarness.ParallelModel, default);
        return taskId;
    }

    [Fact]
    public async Task A_task_that_died_after_keeping_its_turn_completes_at_start_without_calling_the_model_again()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        var id = await DiedAfterKeepingAsync(h, "kept1");

        await h.Get<TaskResumeService>().ResumeOrphansAsync(default);

        Assert.Equal(0, h.Model.Calls);
        Assert.Empty(h.Probe.Executions);
        var task = (await h.Get<ITaskStore>().GetAsync(id, default))!;
        Assert.Equal(DurableTaskStatus.Completed, task.Status);
        Assert.Equal("answer: read:a", task.FinalText);
        Assert.Equal("answer: read:a", Assert.Single(h.EventsOf<TaskAnswered>()).Text);
        Assert.Single(h.EventsOf<TaskCompleted>());
        var kept = await h.Get<IConversationStore>().LoadAsync(Chat.ConversationKey, 50, default);
        Assert.Equal(["go", "", "", "answer: read:a"], kept.Select(m => m.Text));
    }

    [Fact]
    public async Task A_redelivered_message_whose_task_died_after_keeping_its_turn_gets_the_stored_answer()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        var id = await DiedAfterKeepingAsync(h, TaskIds.For(Chat, "inbox:90"));
        var message = new IncomingMessage(Chat, "go") { MessageId = "inbox:90" };

        var reply = await h.Get<IChatService>().HandleAsync(message, default);
        var again = await h.Get<IChatService>().HandleAsync(message, default);

        Assert.Equal(("answer: read:a", false, id), (reply.Text, reply.IsError, reply.TaskId));
        Assert.Equal("answer: read:a", again.Text);
        Assert.Equal(0, h.Model.Calls);
        Assert.Equal(DurableTaskStatus.Completed, (await h.Get<ITaskStore>().GetAsync(id, default))!.Status);
        var kept = await h.Get<IConversationStore>().LoadAsync(Chat.ConversationKey, 50, default);
        Assert.Single(kept, m => m.Role == ChatRole.User);
    }

    [Fact]
    public async Task A_resumed_task_whose_turn_was_not_kept_still_calls_the_model_and_keeps_its_turn_once()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        h.Model.Responder = (messages, _, _) => Task.FromResult(ScriptedChatClient.Answer("fresh answer"));
        var turn = h.Turn(taskId: "notkept");
        turn.TurnStart = 0;
        await h.Get<ITaskStore>().CreateAsync(new DurableTask { Id = "notkept", Address = Chat, Agent = "default" }, "dead-owner",
            TaskCheckpoint.Of(turn, inPhase: false).Encode(), default);

        await h.Get<TaskResumeService>().ResumeOrphansAsync(default);

        Assert.Equal(1, h.Model.Calls);
        Assert.Equal(new KeptTurn("notkept", Chat.ConversationKey, "fresh answer"), await h.Get<IConversationStore>().FindTurnAsync("notkept", default));
        Assert.Equal(["go", "fresh answer"], (await h.Get<IConversationStore>().LoadAsync(Chat.ConversationKey, 50, default)).Select(m => m.Text));
    }
}
