using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// Sends a message to a chat when no request is waiting for the answer (a scheduled run). Each channel that can start
/// a conversation registers one. Delivery is a narrow interface rather than a subscriber of <c>TaskAnswered</c>: the
/// inbox already delivers the answers of tasks resumed after a restart, so delivering every <c>TaskAnswered</c> would
/// send those twice.
/// </summary>
public interface IChatDelivery
{
    /// <summary>The channel name of the addresses it serves (<c>telegram</c>).</summary>
    string Channel { get; }

    /// <summary>Sends <paramref name="markdown"/> to the chat of <paramref name="address"/>.</summary>
    Task DeliverAsync(ChatAddress address, string markdown, CancellationToken cancellationToken);
}
