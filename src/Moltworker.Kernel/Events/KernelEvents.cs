using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Events;

/// <summary>Something that happened inside the kernel. Channels and the web UI subscribe on <see cref="IEventBus"/>.</summary>
public abstract record KernelEvent(string TaskId, ChatAddress Address)
{
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The delegated thread the event happened in, taken from the turn running on this async flow when the
    /// event is made; null in a task's root thread and outside a turn (the recorder then names the task's own).</summary>
    public string? FromThreadId { get; init; } = AgentThread.CurrentTurn?.Thread?.Id;

    /// <summary>The agent whose turn made the event (null outside a turn: the recorder names the task's agent).</summary>
    public string? FromAgent { get; init; } = AgentThread.CurrentTurn?.Agent;
}

public sealed record TaskStarted(string TaskId, ChatAddress Address, string Agent) : KernelEvent(TaskId, Address);
public sealed record TaskResumed(string TaskId, ChatAddress Address, int AutoResumeCount, string? Reason) : KernelEvent(TaskId, Address);
public sealed record TaskCompleted(string TaskId, ChatAddress Address) : KernelEvent(TaskId, Address);
public sealed record TaskFailed(string TaskId, ChatAddress Address, string Error) : KernelEvent(TaskId, Address);
/// <summary>The task waits for the user (an in-doubt side effect); <paramref name="Question"/> says what to decide.</summary>
public sealed record TaskPaused(string TaskId, ChatAddress Address, string Question) : KernelEvent(TaskId, Address);

/// <summary>The answer of a task that was resumed after a restart (no request is waiting for it: channels deliver it).</summary>
public sealed record TaskAnswered(string TaskId, ChatAddress Address, string Text, bool IsError) : KernelEvent(TaskId, Address);
public sealed record PhaseChanged(string TaskId, ChatAddress Address, string Phase) : KernelEvent(TaskId, Address);
public sealed record BatchStarted(string TaskId, ChatAddress Address, string BatchId, string Caller, IReadOnlyList<string> CallIds, IReadOnlyList<string> Tools, bool Parallel) : KernelEvent(TaskId, Address);
public sealed record BatchCompleted(string TaskId, ChatAddress Address, string BatchId, int Errors, TimeSpan Elapsed,
    string Caller = "model", IReadOnlyList<string>? CallIds = null, bool Parallel = false) : KernelEvent(TaskId, Address);
public sealed record CallStarted(string TaskId, ChatAddress Address, string BatchId, string CallId, string Tool) : KernelEvent(TaskId, Address);
/// <summary>A call ended; <paramref name="Cached"/>: its result came from the tool-result cache, the tool was not called.</summary>
public sealed record CallFinished(string TaskId, ChatAddress Address, string BatchId, string CallId, string Tool, ToolStatus Status, TimeSpan Latency,
    bool Cached = false) : KernelEvent(TaskId, Address);
public sealed record Progress(string TaskId, ChatAddress Address, string BatchId, int Done, int Total, bool Parallel) : KernelEvent(TaskId, Address);
/// <summary>A schedule's run started (<c>schedule_fired</c>): <paramref name="DueAt"/> is when it was due; the run is the task
/// <paramref name="TaskId"/> when it is a prompt for the agent.</summary>
public sealed record ScheduleFired(string TaskId, ChatAddress Address, string ScheduleId, DateTimeOffset DueAt) : KernelEvent(TaskId, Address);

/// <summary>A message for a chat that no request is waiting for (<c>chat_message</c>), such as a scheduled run's answer in an
/// HTTP chat: stored with the events and streamed, so the chat's clients receive it live or read it later.
/// <paramref name="MessageId"/> names the message and stands in for the task id (a message is not a task's own event).</summary>
public sealed record OutgoingChatMessage(string MessageId, ChatAddress Address, string Text) : KernelEvent(MessageId, Address);

/// <summary>A tool call waits for a person's approval (<c>approval_requested</c>); its task waits without holding anything.</summary>
public sealed record ApprovalRequested(string TaskId, ChatAddress Address, string ApprovalId, string Tool, string Arguments, string? Reason,
    DateTimeOffset ExpiresAt) : KernelEvent(TaskId, Address);

/// <summary>A request was approved, denied or expired (<c>approval_resolved</c>); <paramref name="DecidedBy"/> is null when it expired.</summary>
public sealed record ApprovalResolved(string TaskId, ChatAddress Address, string ApprovalId, string Tool, Approvals.ApprovalStatus Outcome,
    string? DecidedBy) : KernelEvent(TaskId, Address);

/// <summary>An agent asked another (an <c>ask_&lt;agent&gt;</c> call): the child thread <paramref name="ThreadId"/> of
/// agent <paramref name="Target"/> starts for <paramref name="Caller"/>'s call <paramref name="ToolCallId"/>. Published
/// before the child's first model call.</summary>
public sealed record DelegationStarted(string TaskId, ChatAddress Address, string Target, string Caller, string ThreadId, string ToolCallId) : KernelEvent(TaskId, Address);

/// <summary>The child thread of a delegation ended (with an answer, an error or cancelled).</summary>
public sealed record DelegationCompleted(string TaskId, ChatAddress Address, string Target, string Caller, string ThreadId, string ToolCallId) : KernelEvent(TaskId, Address);
