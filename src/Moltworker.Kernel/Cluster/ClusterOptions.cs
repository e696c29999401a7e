namespace Moltworker.Kernel.Cluster;

/// <summary><c>Moltworker:Cluster</c>: the leases under which a host owns a task, a chat's inbox and (as leader) the
/// Telegram long poll and the Discord gateway. They matter on PostgreSQL, where several hosts share one database; on
/// SQLite the one host holds every lease.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Moltworker:Cluster";

    /// <summary>How long a lease lasts without renewal: after a host dies, another takes its tasks and chats this long
    /// after its last renewal. Judged by the database's clock, so the hosts' clocks do not matter.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a host renews its leases and, when it is not the leader, tries to become the leader. Must be
    /// shorter than <see cref="LeaseDuration"/>.</summary>
    public TimeSpan RenewEvery { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often a host looks for tasks and chat inboxes whose lease expired (so a dead host's work is taken
    /// at most this long after its lease ran out).</summary>
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromSeconds(1);
}
