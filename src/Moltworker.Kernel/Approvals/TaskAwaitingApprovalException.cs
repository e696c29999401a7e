using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Approvals;

/// <summary>The task waits for a person to approve or deny one or more calls; nothing is held meanwhile. The message is
/// what the user reads; an answer (or the expiry) resumes the task from its checkpoint.</summary>
public sealed class TaskAwaitingApprovalException(string message) : TaskStoppedException(message)
{
    public override DurableTaskStatus Status => DurableTaskStatus.AwaitingApproval;
}
