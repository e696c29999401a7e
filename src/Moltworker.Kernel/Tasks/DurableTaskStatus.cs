namespace Moltworker.Kernel.Tasks;

/// <summary>Running (or orphaned by a dead owner), Paused (waiting for the user to decide on an in-doubt call),
/// Completed, Failed, AwaitingApproval (a call waits for a person's approval; the task is not resumed at start until
/// every request of it is answered or expired).</summary>
public enum DurableTaskStatus { Running, Paused, Completed, Failed, AwaitingApproval }
