namespace Moltworker.Kernel.Tasks;

/// <summary>The task failed for good (too many budget hits, too many deaths, an unreadable checkpoint).</summary>
public sealed class TaskFailedException(string message, Exception? inner = null) : TaskStoppedException(message, inner)
{
    public override DurableTaskStatus Status => DurableTaskStatus.Failed;
}
