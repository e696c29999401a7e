using Microsoft.Extensions.Options;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Kernel.Approvals;

/// <summary>How an answer was taken.</summary>
public enum ApprovalAnswer { Resolved, NotFound, NotAllowed, AlreadyAnswered }

/// <summary>The answer and the request as it is now stored (null when there is none).</summary>
public sealed record ApprovalDecision(ApprovalAnswer Answer, ApprovalRequest? Request);

/// <summary>
/// Takes an answer to a request: only from someone <see cref="ApprovalAuthority"/> allows, only while it is pending and
/// not past its expiry (the first answer wins; a second one changes nothing). "Always in this chat" also grants the tool
/// in that chat for <see cref="ApprovalsOptions.RememberFor"/>. Every resolution is published as
/// <see cref="ApprovalResolved"/> and logged in the transaction log. Resuming the task is the caller's step
/// (<see cref="ApprovalResumer"/>), so that the CLI, which runs beside the host, only records the answer.
/// </summary>
public sealed class ApprovalResolver(
    IApprovalStore store,
    ApprovalAuthority authority,
    IEventBus events,
    ITransactionLog log,
    TimeProvider time,
    IOptionsMonitor<ApprovalsOptions> options)
{
    public async Task<ApprovalDecision> DecideAsync(string id, bool approve, bool remember, ApprovalDecider decider, CancellationToken cancellationToken)
    {
        var request = await store.GetAsync(id, cancellationToken);
        if (request is null) return new(ApprovalAnswer.NotFound, null);
        if (!authority.MayDecide(decider, request)) return new(ApprovalAnswer.NotAllowed, request);
        if (request.Status != ApprovalStatus.Pending) return new(ApprovalAnswer.AlreadyAnswered, request);
        var now = time.GetUtcNow();
        if (now >= request.ExpiresAt) return new(ApprovalAnswer.AlreadyAnswered, await ExpireAsync(request, cancellationToken));

        var status = approve ? ApprovalStatus.Approved : ApprovalStatus.Denied;
        if (!await store.ResolveAsync(id, status, decider.Name, now, cancellationToken))
            return new(ApprovalAnswer.AlreadyAnswered, await store.GetAsync(id, cancellationToken));
        if (approve && remember)
            await store.GrantAsync(request.Address.ConversationKey, request.Tool, now + options.CurrentValue.RememberFor, decider.Name, cancellationToken);
        var resolved = request with { Status = status, DecidedBy = decider.Name, DecidedAt = now };
        await RecordAsync(resolved, remember && approve ? "approved, and always in this chat" : null);
        return new(ApprovalAnswer.Resolved, resolved);
    }

    /// <summary>Marks a pending request past its expiry as expired; returns the request as stored afterwards.</summary>
    public async Task<ApprovalRequest> ExpireAsync(ApprovalRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await store.ResolveAsync(request.Id, ApprovalStatus.Expired, null, now, cancellationToken))
            return await store.GetAsync(request.Id, cancellationToken) ?? request;
        var expired = request with { Status = ApprovalStatus.Expired, DecidedAt = now };
        await RecordAsync(expired, null);
        return expired;
    }

    /// <summary>Publishes <see cref="ApprovalRequested"/> and logs it, for a request just stored.</summary>
    public Task RequestedAsync(ApprovalRequest request)
    {
        events.Publish(new ApprovalRequested(request.TaskId, request.Address, request.Id, request.Tool, request.Arguments, request.Reason, request.ExpiresAt));
        return TransactionWriter.TryAppendAsync(log, Row(request, "Requested", $"approval {request.Id}, expires {request.ExpiresAt:u}"));
    }

    private Task RecordAsync(ApprovalRequest request, string? note)
    {
        events.Publish(new ApprovalResolved(request.TaskId, request.Address, request.Id, request.Tool, request.Status, request.DecidedBy));
        var summary = $"approval {request.Id} {request.Status.ToString().ToLowerInvariant()}" + (request.DecidedBy is null ? "" : $" by {request.DecidedBy}") +
                      (note is null ? "" : $" ({note})");
        return TransactionWriter.TryAppendAsync(log, Row(request, request.Status.ToString(), summary));
    }

    private TransactionRecord Row(ApprovalRequest request, string status, string summary) => new()
    {
        At = time.GetUtcNow(),
        Kind = "approval",
        TaskId = request.TaskId,
        Chat = request.Address.ConversationKey,
        Name = request.Tool,
        Arguments = request.Arguments,
        Summary = summary,
        Status = status,
    };
}
