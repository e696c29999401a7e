namespace Moltworker.Kernel.Tasks;

/// <summary>Running (or orphaned by a dead owner), Paused (waiting for the user), Completed, Failed.</summary>
public enum DurableTaskStatus { Running, Paused, Completed, Failed }
