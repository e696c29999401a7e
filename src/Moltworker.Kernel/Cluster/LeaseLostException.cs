namespace Moltworker.Kernel.Cluster;

/// <summary>A write was refused because this host's lease on the task had expired (or another host holds it): the
/// host stops working on the task there and then, and the host that holds the lease continues it from the journal.
/// Thrown by the stores of a shared database before each journal write and checkpoint (the fence).</summary>
public sealed class LeaseLostException(string taskId)
    : Exception($"This host no longer holds the lease on task {taskId}; another host continues it.")
{
    public string TaskId { get; } = taskId;
}
