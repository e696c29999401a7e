using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Tests.Filters.Support;

namespace Moltworker.Kernel.Tests.Filters;

/// <summary>Message task ids changed from SHA-256 ("m…") to XxHash128 ("n…") in 2026-12. A task an older version started
/// for a message and did not finish is joined by the message's redelivery after the upgrade, not run a second time; a
/// host without such tasks looks under the new id only.</summary>
public sealed class LegacyTaskIdTests
{
    private static readonly ChatAddress Chat = new("test", "chat1", "user1");

    private static Task<string> OrphanedUnderLegacyIdAsync(KernelHarness h, string messageId) => OrphanedTask.CreateAsync(h, Chat, TaskIds.Legacy(Chat, messageId));

    [Fact]
    public async Task A_redelivered_message_joins_the_task_left_unfinished_under_its_legacy_id()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        var legacy = await OrphanedUnderLegacyIdAsync(h, "inbox:77");
        var message = new IncomingMessage(Chat, "go") { MessageId = "inbox:77" };

        var reply = await h.Get<IChatService>().HandleAsync(message, default);

        Assert.Equal(("answer: read:a", legacy), (reply.Text, reply.TaskId));
        Assert.Equal(1, h.Probe.Executions[$"{legacy}:1:r1"]);        // resumed from its checkpoint: the read ran once
        var task = Assert.Single(await h.Get<ITaskStore>().ListAsync(null, 10, default)); // no task under the new id
        Assert.Equal((legacy, DurableTaskStatus.Completed), (task.Id, task.Status));
        var calls = h.Model.Calls;

        var again = await h.Get<IChatService>().HandleAsync(message, default);
        Assert.Equal("answer: read:a", again.Text);
        Assert.Equal(calls, h.Model.Calls);
        Assert.Single(await h.Get<ITaskStore>().ListAsync(null, 10, default));
    }

    [Fact]
    public async Task A_task_resumed_at_start_under_its_legacy_id_answers_its_message_redelivered_afterwards()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        var legacy = await OrphanedUnderLegacyIdAsync(h, "inbox:78");
        var resume = h.Get<TaskResumeService>();

        // The host starts: the resume pass finishes the task before the inbox redelivers its message.
        await resume.StartAsync(default);
        await resume.FirstPass;
        Assert.Equal(DurableTaskStatus.Completed, (await h.Get<ITaskStore>().GetAsync(legacy, default))!.Status);
        var calls = h.Model.Calls;

        var reply = await h.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go") { MessageId = "inbox:78" }, default);

        Assert.Equal(("answer: read:a", legacy), (reply.Text, reply.TaskId));
        Assert.Equal(calls, h.Model.Calls);
        Assert.Equal(1, h.Probe.Executions[$"{legacy}:1:r1"]);
        Assert.Single(await h.Get<ITaskStore>().ListAsync(null, 10, default));
        await resume.StopAsync(default);
    }

    /// <summary>Counts the redelivery looks the turn makes.</summary>
    private sealed class LookCounter : ITaskTracker
    {
        public List<string> Looks { get; } = [];
        public Task StartedAsync(TurnContext turn, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<ChatReply?> RedeliveredAsync(string taskId, CancellationToken cancellationToken)
        {
            lock (Looks) Looks.Add(taskId);
            return Task.FromResult<ChatReply?>(null);
        }
        public Task FinishedAsync(TurnContext turn, ChatReply reply, Exception? error, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task Without_legacy_tasks_a_redelivered_message_looks_under_its_new_id_only()
    {
        var looks = new LookCounter();
        using var h = new KernelHarness(configure: s => s.Insert(0, ServiceDescriptor.Singleton<ITaskTracker>(looks)));
        h.Model.Responder = (_, _, _) => Task.FromResult(ScriptedChatClient.Answer("hi"));
        // A finished task under an old id does not count: only unfinished ones can still be joined.
        var old = TaskIds.Legacy(Chat, "inbox:0");
        await h.Get<ITaskStore>().CreateAsync(new DurableTask { Id = old, Address = Chat, Agent = "default" }, "dead-owner",
            TaskCheckpoint.Of(h.Turn(taskId: old)).Encode(), default);
        await h.Get<ITaskStore>().SetStatusAsync(old, DurableTaskStatus.Completed, null, "done", default);

        Assert.False(await h.Get<LegacyTaskIds>().PresentAsync());
        await h.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go") { MessageId = "inbox:1" }, default);

        Assert.Equal([TaskIds.For(Chat, "inbox:1")], looks.Looks);
    }

    [Theory]
    [InlineData(DurableTaskStatus.Paused)]
    [InlineData(DurableTaskStatus.AwaitingApproval)]
    public async Task A_paused_or_waiting_task_under_a_legacy_id_also_turns_the_legacy_look_on(DurableTaskStatus status)
    {
        using var h = new KernelHarness();
        var old = TaskIds.Legacy(Chat, "inbox:5");
        await h.Get<ITaskStore>().CreateAsync(new DurableTask { Id = old, Address = Chat, Agent = "default" }, "dead-owner",
            TaskCheckpoint.Of(h.Turn(taskId: old)).Encode(), default);
        await h.Get<ITaskStore>().SetStatusAsync(old, status, null, null, default);

        Assert.True(await h.Get<LegacyTaskIds>().PresentAsync());   // its message, redelivered, may still join it
    }
}
