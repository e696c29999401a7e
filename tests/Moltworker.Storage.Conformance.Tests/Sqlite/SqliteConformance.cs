using Moltworker.Storage.Conformance.Tests.Providers;
using Moltworker.Storage.Conformance.Tests.Suite;

namespace Moltworker.Storage.Conformance.Tests.Sqlite;

public sealed class SqliteConversationStoreTests : ConversationStoreSuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteKeyValueAndInboxTests : KeyValueAndInboxSuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteJournalTests : JournalSuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteTaskThreadTests : TaskThreadSuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteApiKeyTests : ApiKeySuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteEventLogTests : EventLogSuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteApprovalTests : ApprovalSuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteScheduleTests : ScheduleSuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteFeedbackTests : FeedbackSuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteToolCacheTests : ToolCacheSuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}

public sealed class SqliteMemoryTests : MemorySuite
{
    protected override Task<IStoreSet> CreateStoresAsync() => Task.FromResult<IStoreSet>(new SqliteStoreSet());
}
