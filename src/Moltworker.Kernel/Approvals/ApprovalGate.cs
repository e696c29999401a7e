using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Kernel.Approvals;

/// <summary>
/// What happens to a call that needs approval, looked up by its idempotency key so that a resumed task meets the same
/// request again and never asks twice: approved runs; denied or expired gets a <see cref="ToolStatus.Denied"/> result the
/// model reads; a tool granted "always in this chat" runs; otherwise the request is stored (tool, redacted arguments,
/// the model's words, requester, expiry), announced, the task marked <see cref="DurableTaskStatus.AwaitingApproval"/>,
/// and the call answered with a waiting marker so that the batch pauses the task once its other calls are done. Only a
/// tracked task's model batch or tool task (<see cref="ToolTasks.ToolCallTasks"/>) can wait; any other call is denied.
/// </summary>
public sealed class ApprovalGate(
    IApprovalStore store,
    ApprovalResolver resolver,
    ITaskStore tasks,
    Redactor redactor,
    TimeProvider time,
    IOptionsMonitor<ApprovalsOptions> options)
{
    /// <summary>The result the call gets instead of running, or null when it may run.</summary>
    public async Task<ToolResult?> CheckAsync(CallContext call, TurnContext turn)
    {
        var key = call.Tool.IdempotencyKey;
        var existing = await store.FindByCallAsync(key, CancellationToken.None);
        if (existing is not null) return await OutcomeAsync(existing);
        var now = time.GetUtcNow();
        if (await store.IsGrantedAsync(turn.Address.ConversationKey, call.Call.Name, now, CancellationToken.None)) return null;
        var batch = call.Batch!;
        if (!turn.IsTracked || batch.Composed || batch.Caller is not ("model" or ToolTasks.ToolCallTasks.Caller)) return ApprovalOutcomes.CannotWait(call.Call.Name);

        var request = await store.CreateAsync(new ApprovalRequest
        {
            Id = ApprovalIds.New(),
            CallKey = key,
            TaskId = turn.TaskId,
            Address = turn.Address,
            Tool = call.Call.Name,
            Arguments = redactor.Arguments(call.Arguments),
            Reason = Reason(turn),
            CreatedAt = now,
            ExpiresAt = now + options.CurrentValue.Timeout,
        }, CancellationToken.None);
        if (request.CallKey != key || request.Status != ApprovalStatus.Pending) return await OutcomeAsync(request);
        await tasks.SetStatusAsync(turn.TaskId, DurableTaskStatus.AwaitingApproval, Waiting(request), null, CancellationToken.None);
        await resolver.RequestedAsync(request);
        return ApprovalOutcomes.Waiting(request);
    }

    private async Task<ToolResult?> OutcomeAsync(ApprovalRequest request)
    {
        if (request.Status == ApprovalStatus.Pending && time.GetUtcNow() >= request.ExpiresAt)
            request = await resolver.ExpireAsync(request, CancellationToken.None);
        return request.Status switch
        {
            ApprovalStatus.Approved => null,
            ApprovalStatus.Denied => ApprovalOutcomes.Denied(request),
            ApprovalStatus.Expired => ApprovalOutcomes.Expired(request, request.ExpiresAt - request.CreatedAt),
            _ => ApprovalOutcomes.Waiting(request),
        };
    }

    private static string Waiting(ApprovalRequest request) => $"Waiting for approval {request.Id} of {request.Tool}.";

    /// <summary>The model's words beside its calls in the response being answered, if any.</summary>
    private static string? Reason(TurnContext turn)
    {
        var text = turn.History.LastOrDefault(m => m.Role == ChatRole.Assistant)?.Text;
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
