using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Tests.Filters.Support;

namespace Moltworker.Kernel.Tests.Filters;

/// <summary>A channel message with a stable id maps to one task: redelivered after a crash it joins that task's resume
/// (never a second run with new idempotency keys); redelivered after it finished it gets the stored answer.</summary>
public sealed class RedeliveryTests
{
    private static readonly ChatAddress Chat = new("test", "chat1", "user1");

    private static Task<string> OrphanAsync(KernelHarness h, string messageId) => OrphanedTask.CreateAsync(h, Chat, TaskIds.For(Chat, messageId));

    [Fact]
    public async Task A_redelivered_message_joins_its_orphaned_task_and_later_gets_the_stored_answer()
    {
        using var h = new KernelHarness();
        h.Probe.Gate.SetResult();
        var id = await OrphanAsync(h, "inbox:77");
        var message = new IncomingMessage(Chat, "go") { MessageId = "inbox:77" };

        var reply = await h.Get<IChatService>().HandleAsync(message, default);
        Assert.Equal("answer: read:a", reply.Text);
        Assert.Equal(id, reply.TaskId);
        Assert.Equal(1, h.Probe.Executions[$"{id}:1:r1"]);
        var calls = h.Model.Calls;

        var again = await h.Get<IChatService>().HandleAsync(message, default);
        Assert.Equal("answer: read:a", again.Text);
        Assert.Equal(calls, h.Model.Calls);
        Assert.Equal(1, h.Probe.Executions[$"{id}:1:r1"]);
        Assert.Single(await h.Get<ITaskStore>().ListAsync(null, 10, default));
    }

    [Fact]
    public async Task A_redelivery_during_the_resume_at_start_waits_for_it_instead_of_running_twice()
    {
        using var h = new KernelHarness();
        var id = await OrphanAsync(h, "inbox:78");
        var resume = h.Get<TaskResumeService>().ResumeOrphansAsync(default);
        await h.Probe.WaitEnteredAsync(1);
        var redelivered = h.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go") { MessageId = "inbox:78" }, default);
        h.Probe.Gate.SetResult();
        await resume;
        var reply = await redelivered;
        Assert.Equal("answer: read:a", reply.Text);
        Assert.Equal(1, h.Probe.Executions[$"{id}:1:r1"]);
    }

    /// <summary>Counts the redelivery looks the turn makes.</summary>
    private sealed class LookCounter : ITaskTracker
    {
        public int Looks;
        public Task StartedAsync(TurnContext turn, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task<ChatReply?> RedeliveredAsync(string taskId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Looks);
            return Task.FromResult<ChatReply?>(null);
        }
        public Task FinishedAsync(TurnContext turn, ChatReply reply, Exception? error, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_first_delivery_does_not_look_for_its_task_and_any_other_message_with_an_id_does()
    {
        var looks = new LookCounter();
        using var h = new KernelHarness(configure: s => s.Insert(0, ServiceDescriptor.Singleton<ITaskTracker>(looks))); // asked first
        h.Model.Responder = (_, _, _) => Task.FromResult(ScriptedChatClient.Answer("hi"));

        await h.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go") { MessageId = "inbox:1", FirstDelivery = true }, default);
        Assert.Equal(0, looks.Looks);
        var again = await h.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "go") { MessageId = "inbox:1" }, default);
        Assert.Equal(1, looks.Looks);
        Assert.Equal("hi", again.Text);  // the stored answer of the first delivery's task
        Assert.Single(await h.Get<ITaskStore>().ListAsync(null, 10, default));
    }

    [Fact]
    public void The_same_message_always_maps_to_the_same_task()
    {
        Assert.Equal(TaskIds.For(Chat, "x"), TaskIds.For(Chat, "x"));
        Assert.NotEqual(TaskIds.For(Chat, "x"), TaskIds.For(Chat, "y"));
        Assert.NotEqual(TaskIds.For(Chat, "x"), TaskIds.For(Chat with { ChatId = "other" }, "x"));
    }
}
