using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Approvals;

/// <summary>What the model reads for a call that did not run because of its approval.</summary>
public static class ApprovalOutcomes
{
    public static ToolResult Denied(ApprovalRequest request) =>
        new($"Denied: {request.DecidedBy ?? "a person"} denied this {request.Tool} call, so it did not run. Do not try it again unless they ask.", ToolStatus.Denied);

    public static ToolResult Expired(ApprovalRequest request, TimeSpan timeout) =>
        new($"Denied: nobody approved this {request.Tool} call within {Describe(timeout)}; the request expired and the call did not run.", ToolStatus.Denied);

    public static ToolResult CannotWait(string tool) =>
        new($"Denied: {tool} needs a person's approval here, and only a turn started by a chat message can wait for one; the call did not run.", ToolStatus.Denied);

    /// <summary>Stands in for the result while the call waits; the batch then pauses the task (never read by the model).</summary>
    public static ToolResult Waiting(ApprovalRequest request) => new($"waiting for approval {request.Id}", ToolStatus.AwaitingApproval);

    public static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0} min"
        : $"{span.TotalSeconds:0} s";
}
