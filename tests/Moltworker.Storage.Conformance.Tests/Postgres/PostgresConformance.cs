using Moltworker.Storage.Conformance.Tests.Providers;
using Moltworker.Storage.Conformance.Tests.Suite;
using Moltworker.Testing.Postgres;

namespace Moltworker.Storage.Conformance.Tests.Postgres;

public sealed class PostgresConversationStoreTests : ConversationStoreSuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresKeyValueAndInboxTests : KeyValueAndInboxSuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresJournalTests : JournalSuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresTaskThreadTests : TaskThreadSuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresApiKeyTests : ApiKeySuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresEventLogTests : EventLogSuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresApprovalTests : ApprovalSuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresScheduleTests : ScheduleSuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresFeedbackTests : FeedbackSuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresToolCacheTests : ToolCacheSuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}

public sealed class PostgresMemoryTests : MemorySuite
{
    protected override string? SkipReason => TestPostgres.SkipReason;
    protected override async Task<IStoreSet> CreateStoresAsync() => await PostgresStoreSet.CreateAsync();
}
