namespace Moltworker.Kernel.Approvals;

/// <summary>Who answers a request: a chat user (channel and user id), or an operator (an admin API key, the CLI) who may
/// answer any request.</summary>
public sealed record ApprovalDecider(string Channel, string? UserId, bool IsOperator = false)
{
    /// <summary>How the outcome names the decider, e.g. <c>telegram:42</c> or <c>cli:alice</c>.</summary>
    public string Name => UserId is null ? Channel : $"{Channel}:{UserId}";
}
