namespace Moltworker.Kernel.Tasks;

/// <summary>This process's identity as the owner of the tasks it runs.</summary>
public sealed class TaskOwner
{
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
}
