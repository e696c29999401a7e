using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Host.Endpoints.HttpChat;

/// <summary>
/// With several hosts on one database, an <c>/api/chat</c> request waits on the host that accepted it, but its chat may be
/// answered by another host (the one holding the chat's lease). That host runs the message's task
/// (<see cref="HttpInboxHandler"/>); this one watches the task in the shared event log and, when the task has an answer
/// in the shared task store (completed, failed, paused or waiting for approval), hands it to the waiting request. The
/// store is looked at after each of the task's events that may mean an answer (completed, failed, an approval asked, a
/// budget exceeded) and every <see cref="Recheck"/> as a safety net; not for the other events, which a task running on
/// this host publishes a dozen of per turn. Whichever comes first, this or the local turn, answers the request; the other finds nothing to complete.
/// On one host (or without the shared event log) it does nothing.
/// </summary>
public sealed partial class RemoteAnswers(
    IHostLeases leases,
    SharedEventRelay relay,
    EventHub hub,
    ITaskStore tasks,
    PendingReplies replies,
    TimeProvider time,
    ILogger<RemoteAnswers> logger)
{
    /// <summary>How often the store is looked at while no event of the task arrives.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    /// <summary>Watches <paramref name="item"/>'s task until <paramref name="answer"/> is settled, by this host or from the store.</summary>
    public void Watch(HttpChatItem item, Task<ChatReply> answer)
    {
        if (!leases.Shared || !relay.Active) return;
        var taskId = TaskIds.For(item.ToIncoming().Address, item.MessageId);
        var subscription = hub.Subscribe(new EventQuery { TaskId = taskId }, capacity: 256);
        _ = Task.Run(() => WatchAsync(item.ExternalId, taskId, subscription, answer), CancellationToken.None);
    }

    private async Task WatchAsync(string key, string taskId, EventSubscription subscription, Task<ChatReply> answer)
    {
        using var _ = subscription;
        try
        {
            // Not at once: a new message's task has no answer yet (and usually runs on this host). The store is read
            // when an event says the task may have one, or at the recheck.
            while (!await NextLookAsync(subscription, answer))
            {
                if (await tasks.GetAsync(taskId, CancellationToken.None) is { } task && TaskAnswers.Of(task) is { } reply)
                {
                    replies.Complete(key, reply);
                    return;
                }
            }
        }
        catch (Exception ex) { LogWatchFailed(ex, taskId); } // the local turn (or a retry of the request) still answers
    }

    /// <summary>Waits until the store is worth a look (true: the answer settled meanwhile, stop watching).</summary>
    private async Task<bool> NextLookAsync(EventSubscription subscription, Task<ChatReply> answer)
    {
        while (!answer.IsCompleted)
        {
            Task next = subscription.WasDropped ? answer : subscription.Reader.WaitToReadAsync().AsTask();
            var woke = await Task.WhenAny(answer, next, Task.Delay(Recheck, time));
            var look = woke != next || subscription.WasDropped;
            while (subscription.Reader.TryRead(out var e)) look |= MayAnswer(e.Name);
            if (look) return answer.IsCompleted;
        }
        return true;
    }

    /// <summary>Events after which the task may have an answer in the store; any other change is seen at the recheck.</summary>
    private static bool MayAnswer(string name) =>
        name is EventNames.TaskCompleted or EventNames.TaskFailed or EventNames.ApprovalRequested or EventNames.BudgetExceeded;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching task {TaskId} for an answer from another host failed")]
    private partial void LogWatchFailed(Exception ex, string taskId);
}
