using System.Buffers;
using System.Text.Json;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Events;

/// <summary>A kernel event's wire name, its batch and call ids and its own fields (JSON), before it has an id.</summary>
public readonly record struct WireEvent(string Name, string? BatchId, string? CallId, string Data);

/// <summary>
/// Maps kernel events to their wire form (<see cref="EventNames"/>). Events that only serve in-process listeners
/// (batch progress, a resumed task's answer for channels) have none and are neither stored nor streamed.
/// </summary>
public static class EventWire
{
    public static WireEvent? Describe(KernelEvent e) => e switch
    {
        PoStateChanged s => new(EventNames.PoState, null, null, Fields(w => w.WriteString("status", Status(s.Status)))),
        TaskPaused p => new(EventNames.PoState, null, null, Fields(w => { w.WriteString("status", Status(PoStatus.AwaitingApproval)); w.WriteString("question", p.Question); })),
        TaskStarted t => new(EventNames.TaskStarted, null, null, Fields(w => w.WriteString("agent", t.Agent))),
        TaskCompleted => new(EventNames.TaskCompleted, null, null, "{}"),
        TaskFailed f => new(EventNames.TaskFailed, null, null, Fields(w => w.WriteString("error", f.Error))),
        TaskResumed r => new(EventNames.TaskResumed, null, null, Fields(w => { w.WriteNumber("auto_resume_count", r.AutoResumeCount); w.WriteString("reason", r.Reason); })),
        PhaseChanged p => new(EventNames.PhaseStarted, null, null, Fields(w => w.WriteString("phase", p.Phase))),
        PhaseCompleted p => new(EventNames.PhaseCompleted, null, null, Fields(w => w.WriteString("phase", p.Phase))),
        BudgetExceeded b => new(EventNames.BudgetExceeded, null, null, Fields(w =>
        {
            w.WriteString("phase", b.Phase);
            w.WriteNumber("budget_seconds", b.Budget.TotalSeconds);
            w.WriteNumber("auto_resume_count", b.AutoResumeCount);
        })),
        BatchStarted b => new(EventNames.ParallelBatchStarted, b.BatchId, null, Fields(w =>
        {
            w.WriteString("caller", b.Caller);
            w.WriteString("batch_id", b.BatchId);
            Strings(w, "tool_call_ids", b.CallIds);
            Strings(w, "tools", b.Tools);
            w.WriteBoolean("parallel", b.Parallel);
        })),
        BatchCompleted b => new(EventNames.ParallelBatchCompleted, b.BatchId, null, Fields(w =>
        {
            w.WriteString("caller", b.Caller);
            w.WriteString("batch_id", b.BatchId);
            w.WriteNumber("errors", b.Errors);
            w.WriteNumber("latency_ms", Math.Round(b.Elapsed.TotalMilliseconds, 3));
        })),
        CallStarted c => new(EventNames.ToolCallStarted, c.BatchId, c.CallId, Fields(w =>
        {
            w.WriteString("tool_call_id", c.CallId);
            w.WriteString("tool", c.Tool);
        })),
        CallFinished c => new(EventNames.ToolCallCompleted, c.BatchId, c.CallId, Fields(w =>
        {
            w.WriteString("tool_call_id", c.CallId);
            w.WriteString("tool", c.Tool);
            w.WriteString("status", Status(c.Status));
            w.WriteNumber("latency_ms", Math.Round(c.Latency.TotalMilliseconds, 3));
            w.WriteBoolean("cached", c.Cached);
        })),
        ApprovalRequested a => new(EventNames.ApprovalRequested, null, null, Fields(w =>
        {
            w.WriteString("approval_id", a.ApprovalId);
            w.WriteString("tool", a.Tool);
            w.WriteString("arguments", a.Arguments);
            w.WriteString("reason", a.Reason);
            w.WriteString("expires_at", a.ExpiresAt);
        })),
        ApprovalResolved a => new(EventNames.ApprovalResolved, null, null, Fields(w =>
        {
            w.WriteString("approval_id", a.ApprovalId);
            w.WriteString("tool", a.Tool);
            w.WriteString("outcome", a.Outcome.ToString().ToLowerInvariant());
            w.WriteString("decided_by", a.DecidedBy);
        })),
        ScheduleFired f => new(EventNames.ScheduleFired, null, null, Fields(w =>
        {
            w.WriteString("schedule_id", f.ScheduleId);
            w.WriteString("due_at", f.DueAt);
        })),
        OutgoingChatMessage m => new(EventNames.ChatMessage, null, null, Fields(w =>
        {
            w.WriteString("message_id", m.MessageId);
            w.WriteString("text", m.Text);
        })),
        ContextCompacted c => new(EventNames.ContextCompacted, null, null, Fields(w =>
        {
            w.WriteNumber("tokens_before", c.TokensBefore);
            w.WriteNumber("tokens_after", c.TokensAfter);
            w.WriteNumber("messages", c.Messages);
            w.WriteBoolean("truncated", c.Truncated);
        })),
        DelegationStarted d => new(EventNames.PoDelegationStarted, null, null, Fields(w => Delegation(w, d.Target, d.Caller, d.ThreadId, d.ToolCallId))),
        DelegationCompleted d => new(EventNames.PoDelegationCompleted, null, null, Fields(w => Delegation(w, d.Target, d.Caller, d.ThreadId, d.ToolCallId))),
        _ => null,
    };

    private static void Delegation(Utf8JsonWriter w, string target, string caller, string threadId, string toolCallId)
    {
        w.WriteString("target", target);
        w.WriteString("caller", caller);
        w.WriteString("thread_id", threadId);
        w.WriteString("tool_call_id", toolCallId);
    }

    /// <summary>The snake_case wire form of a state: idle, thinking, calling_tool, awaiting_approval.</summary>
    public static string Status(PoStatus status) => status switch
    {
        PoStatus.Idle => "idle",
        PoStatus.Thinking => "thinking",
        PoStatus.CallingTool => "calling_tool",
        _ => "awaiting_approval",
    };

    /// <summary>A call's status as the wire spells it: ok, error, timeout, skipped, cancelled, denied.</summary>
    public static string Status(ToolStatus status) => status switch
    {
        ToolStatus.Ok => "ok",
        ToolStatus.Error => "error",
        ToolStatus.Timeout => "timeout",
        ToolStatus.Skipped => "skipped",
        ToolStatus.Cancelled => "cancelled",
        _ => "denied",
    };

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    private static string Fields(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
