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
/// store is looked at once the watch starts, on each of the task's events, and every <see cref="Recheck"/> as a safety
/// net. Whichever comes first, this or the local turn, answers the request; the other finds nothing to complete.
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
            while (!answer.IsCompleted)
            {
                if (await tasks.GetAsync(taskId, CancellationToken.None) is { } task && TaskAnswers.Of(task) is { } reply)
                {
                    replies.Complete(key, reply);
                    return;
                }
                // Until an event of the task arrives (then the store is looked at again), the recheck, or the local answer.
                Task next = subscription.WasDropped ? answer : subscription.Reader.WaitToReadAsync().AsTask();
                await Task.WhenAny(answer, next, Task.Delay(Recheck, time));
                while (subscription.Reader.TryRead(out var _)) { }
            }
        }
        catch (Exception ex) { LogWatchFailed(ex, taskId); } // the local turn (or a retry of the request) still answers
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching task {TaskId} for an answer from another host failed")]
    private partial void LogWatchFailed(Exception ex, string taskId);
}
