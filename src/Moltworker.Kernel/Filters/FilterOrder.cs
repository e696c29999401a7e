using Moltworker.Kernel.Filters.Approvals;
using Moltworker.Kernel.Filters.Budgets;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Filters.Builtin;
using Moltworker.Kernel.Filters.Gating;
using Moltworker.Kernel.Filters.Journal;
using Moltworker.Kernel.Filters.Results;
using Moltworker.Kernel.Filters.Retries;
using Moltworker.Kernel.Filters.SemanticKernel;
using Moltworker.Kernel.Filters.Timeouts;
using Moltworker.Kernel.Filters.Transactions;

namespace Moltworker.Kernel.Filters;

/// <summary>
/// The order of Moltworker's own filters at each level, outermost first: the one place it is written down. The
/// runners sort whatever filters are registered by these lists, so the order does not depend on which extension
/// method registered a filter first. A filter type not listed here runs inside the listed ones, in registration order.
/// The last level runs inside the hosted SK kernel: Moltworker's function-invocation filters, then a user's (from DI, then
/// those of drop-in plugins) around the function itself (see <c>HostedKernel</c>).
/// </summary>
public static class FilterOrder
{
    /// <summary>Around each phase of a turn: auto-resume wraps the budget it resumes after.</summary>
    public static readonly IReadOnlyList<Type> Turn =
    [
        typeof(TaskAutoResumeFilter),
        typeof(PhaseBudgetFilter),
    ];

    /// <summary>Around the calls of one model response: the gate decides parallelism before "batch started" reports
    /// it; the checkpoint is saved around everything that runs; journal replay fills results from the journal before
    /// anything is dispatched; innermost, a batch with calls waiting for approval pauses its task once the others ran.</summary>
    public static readonly IReadOnlyList<Type> Batch =
    [
        typeof(ParallelGateFilter),
        typeof(EventsBatchFilter),
        typeof(CheckpointBatchFilter),
        typeof(JournalReplayFilter),
        typeof(ApprovalWaitBatchFilter),
    ];

    /// <summary>Around each call the model asked for, outside the kernel: a user's SK auto-function filters (SK runs
    /// them outside the function-invocation filters too).</summary>
    public static readonly IReadOnlyList<Type> Call =
    [
        typeof(AutoFunctionFilterCallFilter),
    ];

    /// <summary>The per-call concerns, SK function-invocation filters on the hosted kernel, before a user's own
    /// (<see cref="UserFunctionFilters"/>, always last): the approval gate comes first, outside events and the journal,
    /// because a call waiting for a person has not started: it gets no call events or timing, and no journal intent that a
    /// crash would turn into an in-doubt side effect; once approved, the call enters everything below exactly once with its
    /// idempotency key (docs/decisions/0056-approvals.md). Then events and the timing log see the call as a whole; the journal
    /// records intent and result once per call; retry makes attempts; the transaction log and the timeout act per
    /// attempt (the timeout gives each its own token); the tool-result cache sits between them, so a hit has its call
    /// events, its journal result and its transaction-log row (flagged cached) but no timeout, user filter or tool call,
    /// a hit is Ok and ends the retries, and only a successful attempt is stored (<see cref="ToolCacheFilter"/>); the
    /// result filter turns what the function returned, after a user's filters, into the call's result.</summary>
    public static readonly IReadOnlyList<Type> Function =
    [
        typeof(ApprovalGateFilter),
        typeof(EventsCallFilter),
        typeof(TimingLogFilter),
        typeof(JournalCallFilter),
        typeof(CallRetryFilter),
        typeof(TransactionLogCallFilter),
        typeof(ToolCacheFilter),
        typeof(CallTimeoutFilter),
        typeof(CallResultFilter),
    ];

    /// <summary><paramref name="filters"/> in the order of <paramref name="order"/>; unlisted ones after, as given.</summary>
    public static IReadOnlyList<T> Sort<T>(IEnumerable<T> filters, IReadOnlyList<Type> order) where T : notnull =>
        filters.Select((filter, i) => (filter, i, rank: Rank(order, filter.GetType())))
            .OrderBy(f => f.rank).ThenBy(f => f.i).Select(f => f.filter).ToList();

    private static int Rank(IReadOnlyList<Type> order, Type type)
    {
        for (var i = 0; i < order.Count; i++)
            if (order[i] == type) return i;
        return order.Count;
    }
}
