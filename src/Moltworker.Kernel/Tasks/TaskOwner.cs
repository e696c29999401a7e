namespace Moltworker.Kernel.Tasks;

/// <summary>This process's identity as the owner of the tasks it runs (and, on a shared database, of its leases).</summary>
public sealed class TaskOwner
{
    public TaskOwner() : this($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}") { }

    /// <summary>A given identity (tests; tools that act as a named owner).</summary>
    public TaskOwner(string id) => Id = id;

    public string Id { get; }
}
