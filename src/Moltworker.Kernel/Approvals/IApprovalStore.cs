namespace Moltworker.Kernel.Approvals;

/// <summary>Approval requests and "always in this chat" grants. Each write is committed when it returns.</summary>
public interface IApprovalStore
{
    /// <summary>Stores <paramref name="request"/> unless its call already has one; returns the stored request either way.</summary>
    Task<ApprovalRequest> CreateAsync(ApprovalRequest request, CancellationToken cancellationToken);

    Task<ApprovalRequest?> GetAsync(string id, CancellationToken cancellationToken);

    Task<ApprovalRequest?> FindByCallAsync(string callKey, CancellationToken cancellationToken);

    /// <summary>Pending requests, oldest first.</summary>
    Task<IReadOnlyList<ApprovalRequest>> ListPendingAsync(int limit, CancellationToken cancellationToken);

    Task<int> CountPendingAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Moves a pending request to <paramref name="status"/>; false when it was no longer pending (first answer wins).</summary>
    Task<bool> ResolveAsync(string id, ApprovalStatus status, string? decidedBy, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Pending requests whose expiry is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<ApprovalRequest>> ListDueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Lets <paramref name="tool"/> run in <paramref name="conversation"/> without asking until <paramref name="until"/>.</summary>
    Task GrantAsync(string conversation, string tool, DateTimeOffset until, string grantedBy, CancellationToken cancellationToken);

    Task<bool> IsGrantedAsync(string conversation, string tool, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes every grant of <paramref name="conversation"/>; returns how many.</summary>
    Task<int> RevokeGrantsAsync(string conversation, CancellationToken cancellationToken);
}
