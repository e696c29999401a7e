namespace Moltworker.Kernel.Tasks;

/// <summary>The task waits for the user: a side-effecting call is in doubt and its tool cannot reconcile by idempotency key.</summary>
public sealed class TaskPausedException(string question) : TaskStoppedException(question)
{
    public override DurableTaskStatus Status => DurableTaskStatus.Paused;
}
