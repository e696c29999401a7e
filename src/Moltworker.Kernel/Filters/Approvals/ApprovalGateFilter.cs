using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Filters.SemanticKernel;

namespace Moltworker.Kernel.Filters.Approvals;

/// <summary>
/// The approval gate, outermost of the per-call concerns (<see cref="FilterOrder.Function"/> says why): a call the
/// <see cref="ApprovalPolicy"/> holds back goes through <see cref="ApprovalGate"/> and runs only once approved; denied,
/// expired or waiting, it gets its result here and nothing inside (events, journal, retry, transaction log, timeout, the
/// tool) sees it.
/// </summary>
public sealed class ApprovalGateFilter(ApprovalPolicy policy, ApprovalGate gate) : CallFunctionFilter
{
    protected override async Task OnCallAsync(CallContext context, Func<CallContext, Task> next)
    {
        if (context.Batch?.Turn is not { } turn || !policy.Requires(context, turn.Address)) { await next(context); return; }
        if (await gate.CheckAsync(context, turn) is { } result) { context.Result = result; return; }
        await next(context);
    }
}
