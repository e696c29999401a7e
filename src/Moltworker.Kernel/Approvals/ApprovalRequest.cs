using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Approvals;

/// <summary>Pending until a person answers or it expires; then it never changes again.</summary>
public enum ApprovalStatus { Pending, Approved, Denied, Expired }

/// <summary>A tool call waiting for (or answered by) a person. Keyed by the call's idempotency key, so the same call is
/// never asked twice, however often its task is resumed.</summary>
public sealed record ApprovalRequest
{
    public required string Id { get; init; }

    /// <summary>The call's idempotency key (task:step:callId).</summary>
    public required string CallKey { get; init; }
    public required string TaskId { get; init; }

    /// <summary>Where the task's message came from; its user is the requester.</summary>
    public required ChatAddress Address { get; init; }
    public required string Tool { get; init; }

    /// <summary>The call's arguments as JSON, secrets redacted.</summary>
    public required string Arguments { get; init; }

    /// <summary>What the model said alongside the call, if anything.</summary>
    public string? Reason { get; init; }
    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Who answered (<see cref="ApprovalDecider.Name"/>); null while pending or when it expired.</summary>
    public string? DecidedBy { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
}
