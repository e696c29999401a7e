using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Feedback;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Memory;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;
using Moltworker.Storage.Sqlite.ApiKeys;
using Moltworker.Storage.Sqlite.Caching;
using Moltworker.Storage.Sqlite.Approvals;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Events;
using Moltworker.Storage.Sqlite.Feedback;
using Moltworker.Storage.Sqlite.Journal;
using Moltworker.Storage.Sqlite.Memory;
using Moltworker.Storage.Sqlite.Schedules;
using Moltworker.Storage.Sqlite.Stores;

namespace Moltworker.Storage.Conformance.Tests.Providers;

/// <summary>The SQLite stores on a new <c>moltworker.db</c> in a temporary folder.</summary>
public sealed class SqliteStoreSet : IStoreSet
{
    private static readonly SqliteMigration FailOnText = new("test", 1,
        $"CREATE TRIGGER fail_on_text BEFORE INSERT ON messages WHEN NEW.text = '{IStoreSet.FailingText}' BEGIN SELECT RAISE(ABORT, 'test failure'); END;");

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-conformance", Guid.NewGuid().ToString("N"));
    private readonly SqliteDatabase _db;
    private readonly JournalWriteGate _gate;

    public SqliteStoreSet()
    {
        _db = new SqliteDatabase(Options.Create(new StorageOptions { DataDirectory = _dir }),
            [.. CoreMigrations.All, .. CompactionMigrations.All, JournalMigrations.V1, .. ThreadMigrations.All, .. ApiKeyMigrations.All, .. EventMigrations.All, .. ApprovalMigrations.All, .. ScheduleMigrations.All, .. FeedbackMigrations.All, .. ToolCacheMigrations.All, .. MemoryMigrations.All, FailOnText]);
        _gate = new JournalWriteGate(_db);
    }

    public IConversationStore Conversations(TimeProvider time) => new SqliteConversationStore(_db, time);
    public IKeyValueStore KeyValues(TimeProvider time) => new SqliteKeyValueStore(_db, time);
    public IInboxStore Inbox(TimeProvider time) => new SqliteInboxStore(_db, time);
    public ITaskStore Tasks(TimeProvider time) => new SqliteTaskStore(_db, time, _gate);
    public IToolJournal Journal() => new SqliteToolJournal(_db, _gate);
    public ITaskThreadStore Threads() => new SqliteTaskThreadStore(_db, _gate);
    public ITransactionLog Transactions() => new SqliteTransactionLog(_db, _gate);
    public IApiKeyStore ApiKeys(TimeProvider time) => new SqliteApiKeyStore(_db, time);
    public IEventLog Events() => new SqliteEventLog(_db, _gate);
    public IApprovalStore Approvals() => new SqliteApprovalStore(_db);
    public IScheduleStore Schedules() => new SqliteScheduleStore(_db);
    public IFeedbackStore Feedback() => new SqliteFeedbackStore(_db);
    public IToolCacheStore ToolCache(TimeProvider time) => new SqliteToolCacheStore(_db, time);
    public IMemoryStore Memories() => new SqliteMemoryStore(_db);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
