using Moltworker.Kernel.Approvals;

namespace Moltworker.Channels.Discord.Approvals;

/// <summary>How a request and its outcome read in a Discord message.</summary>
public static class ApprovalText
{
    private const int MaxArgumentChars = 600;

    /// <summary>The request's message: the call, the model's reason, the expiry and who may answer (under 2,000 characters).</summary>
    public static string Prompt(string tool, string arguments, string? reason, DateTimeOffset expiresAt)
    {
        var shown = arguments.Length <= MaxArgumentChars ? arguments : arguments[..MaxArgumentChars] + "…";
        var why = reason is null ? "" : $"\nWhy: {Commands.CommandText.Trim(reason, 600)}";
        return $"Approve this call?\n`{tool}` {shown}{why}\nIt expires at {expiresAt:HH:mm} UTC. The person who asked, or an admin, can answer.";
    }

    public static string Outcome(ApprovalRequest request) => request.Status switch
    {
        ApprovalStatus.Approved => $"approved by {request.DecidedBy}",
        ApprovalStatus.Denied => $"denied by {request.DecidedBy}",
        ApprovalStatus.Expired => "expired",
        _ => "waiting",
    };
}
