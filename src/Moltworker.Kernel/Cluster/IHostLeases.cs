namespace Moltworker.Kernel.Cluster;

/// <summary>
/// The leases of one host (its <see cref="Tasks.TaskOwner"/> id): on tasks (taken by <see cref="Tasks.ITaskStore"/>'s
/// create and claims) and on chat inboxes (one owner per chat at a time, so a chat's messages are answered in order
/// whichever host received them). A store that serves one process only (SQLite) holds every lease trivially.
/// </summary>
public interface IHostLeases
{
    /// <summary>True when other hosts may share the database: leases must be renewed, and work whose lease expired is
    /// looked for while the host runs (not only at start).</summary>
    bool Shared { get; }

    /// <summary>Extends every unexpired lease of <paramref name="owner"/> (tasks and chats) by <paramref name="duration"/>
    /// from the database's now. An expired lease is not revived: it may already belong to another host.</summary>
    Task RenewAsync(string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Takes (or keeps) the lease on the chat inbox <paramref name="orderKey"/>; false while another owner's
    /// lease on it has not expired.</summary>
    Task<bool> TryAcquireChatAsync(string orderKey, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the chat's lease up (when its inbox is drained), so another host may take it at once.</summary>
    Task ReleaseChatAsync(string orderKey, string owner, CancellationToken cancellationToken);
}
