using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Events;

/// <summary>The agent of <paramref name="TaskId"/> is now <paramref name="Status"/> (<c>po_state</c>).</summary>
public sealed record PoStateChanged(string TaskId, ChatAddress Address, PoStatus Status) : KernelEvent(TaskId, Address);

/// <summary>A phase of the turn ended (its loop returned); <see cref="PhaseChanged"/> is its start.</summary>
public sealed record PhaseCompleted(string TaskId, ChatAddress Address, string Phase) : KernelEvent(TaskId, Address);

/// <summary>A phase ran out of its wall-clock budget; the task resumes from its checkpoint or fails
/// (<see cref="AutoResumeCount"/> counts the hits so far).</summary>
public sealed record BudgetExceeded(string TaskId, ChatAddress Address, string Phase, TimeSpan Budget, int AutoResumeCount) : KernelEvent(TaskId, Address);
