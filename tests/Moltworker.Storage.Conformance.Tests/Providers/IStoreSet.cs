using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Feedback;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Memory;
using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Storage.Conformance.Tests.Providers;

/// <summary>
/// Every store of one provider on one fresh, empty database. The suite sees only the kernel's interfaces, so a test
/// here runs unchanged on each provider. The database also carries a test-only rule: inserting a message whose text
/// is <see cref="FailingText"/> fails inside the transaction (for all-or-nothing tests).
/// </summary>
public interface IStoreSet : IAsyncDisposable
{
    public const string FailingText = "boom";

    IConversationStore Conversations(TimeProvider time);
    IKeyValueStore KeyValues(TimeProvider time);
    IInboxStore Inbox(TimeProvider time);
    ITaskStore Tasks(TimeProvider time);
    IToolJournal Journal();
    ITaskThreadStore Threads();
    ITransactionLog Transactions();
    IApiKeyStore ApiKeys(TimeProvider time);
    IEventLog Events();
    IApprovalStore Approvals();

    /// <summary>A schedule store as one host has it: a new one is another host (or the same host after a restart) on the
    /// same database. Disposing it (when it is <see cref="IAsyncDisposable"/>) is that host's death.</summary>
    IScheduleStore Schedules();
    IFeedbackStore Feedback();

    /// <summary>The tool-result cache's durable level, judging expiry on <paramref name="time"/>; a new one over the same
    /// database is the store after a restart.</summary>
    IToolCacheStore ToolCache(TimeProvider time);
    IMemoryStore Memories();
}
