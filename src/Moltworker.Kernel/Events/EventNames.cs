namespace Moltworker.Kernel.Events;

/// <summary>The wire names of stored and streamed events (the plan's names, issue 13). <see cref="Reserved"/> lists
/// names that are taken but not published yet.</summary>
public static class EventNames
{
    public const string PoState = "po_state";
    public const string PoDelegationStarted = "po_delegation_started";
    public const string PoDelegationCompleted = "po_delegation_completed";
    public const string ParallelBatchStarted = "parallel_batch_started";
    public const string ParallelBatchCompleted = "parallel_batch_completed";
    public const string ToolCallStarted = "tool_call_started";
    public const string ToolCallCompleted = "tool_call_completed";
    public const string TaskStarted = "task_started";
    public const string TaskCompleted = "task_completed";
    public const string TaskFailed = "task_failed";
    public const string PhaseStarted = "phase_started";
    public const string PhaseCompleted = "phase_completed";
    public const string BudgetExceeded = "budget_exceeded";
    public const string TaskResumed = "task_resumed";
    public const string ApprovalRequested = "approval_requested";
    public const string ApprovalResolved = "approval_resolved";
    public const string ScheduleFired = "schedule_fired";
    public const string ChatMessage = "chat_message";
    public const string ContextCompacted = "context_compacted";

    /// <summary>Every name, published or reserved.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        PoState, PoDelegationStarted, PoDelegationCompleted, ParallelBatchStarted, ParallelBatchCompleted, ToolCallStarted,
        ToolCallCompleted, TaskStarted, TaskCompleted, TaskFailed, PhaseStarted, PhaseCompleted, BudgetExceeded, TaskResumed,
        ApprovalRequested, ApprovalResolved, ScheduleFired, ChatMessage, ContextCompacted,
    ];

    /// <summary>Names reserved for work not built yet (none today).</summary>
    public static readonly IReadOnlyList<string> Reserved = [];
}
