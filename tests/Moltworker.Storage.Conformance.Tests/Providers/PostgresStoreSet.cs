using Microsoft.Extensions.Options;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Feedback;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Memory;
using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;
using Moltworker.Storage.Postgres.ApiKeys;
using Moltworker.Storage.Postgres.Caching;
using Moltworker.Storage.Postgres.Approvals;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Events;
using Moltworker.Storage.Postgres.Feedback;
using Moltworker.Storage.Postgres.Journal;
using Moltworker.Storage.Postgres.Memory;
using Moltworker.Storage.Postgres.Schedules;
using Moltworker.Storage.Postgres.Stores;
using Moltworker.Testing.Postgres;

namespace Moltworker.Storage.Conformance.Tests.Providers;

/// <summary>The PostgreSQL stores on a database of their own on the test server (<see cref="TestPostgres"/>).</summary>
public sealed class PostgresStoreSet : IStoreSet
{
    private static readonly PostgresMigration FailOnText = new("test", 1, $"""
        CREATE FUNCTION fail_on_text() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.text = '{IStoreSet.FailingText}' THEN RAISE EXCEPTION 'test failure'; END IF; RETURN NEW; END $$;
        CREATE TRIGGER fail_on_text BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION fail_on_text();
        """);

    private readonly TestDatabase _database;
    private readonly PostgresDatabase _db;

    private PostgresStoreSet(TestDatabase database)
    {
        _database = database;
        _db = new PostgresDatabase(database.ConnectionString, [.. PostgresSchema.All, FailOnText]);
    }

    public static async Task<PostgresStoreSet> CreateAsync() => new(await TestPostgres.CreateDatabaseAsync());

    public IConversationStore Conversations(TimeProvider time) => new PostgresConversationStore(_db, time);
    public IKeyValueStore KeyValues(TimeProvider time) => new PostgresKeyValueStore(_db, time);
    public IInboxStore Inbox(TimeProvider time) => new PostgresInboxStore(_db, time);
    /// <summary>The suite describes one process on its database (as SQLite is): with a lease of zero every other
    /// owner's running task may be claimed at once. The leases themselves are tested by PostgresLeaseTests.</summary>
    public ITaskStore Tasks(TimeProvider time) => new PostgresTaskStore(_db, time, cluster: Options.Create(new ClusterOptions { LeaseDuration = TimeSpan.Zero }));
    public IToolJournal Journal() => new PostgresToolJournal(_db);
    public ITaskThreadStore Threads() => new PostgresTaskThreadStore(_db);
    public ITransactionLog Transactions() => new PostgresTransactionLog(_db);
    public IApiKeyStore ApiKeys(TimeProvider time) => new PostgresApiKeyStore(_db, time);
    public IFeedbackStore Feedback() => new PostgresFeedbackStore(_db);
    public IToolCacheStore ToolCache(TimeProvider time) => new PostgresToolCacheStore(_db, time);
    public IMemoryStore Memories() => new PostgresMemoryStore(_db);
    public IEventLog Events() => new PostgresEventLog(_db);
    public IApprovalStore Approvals() => new PostgresApprovalStore(_db);
    public IScheduleStore Schedules() => Track(new PostgresScheduleStore(_db));

    /// <summary>The database the stores share (for tests of several hosts on it).</summary>
    public PostgresDatabase Database => _db;

    /// <summary>The test database's connection string.</summary>
    public string ConnectionString => _database.ConnectionString;

    private readonly List<IAsyncDisposable> _owned = [];

    private T Track<T>(T store) where T : IAsyncDisposable
    {
        lock (_owned) _owned.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _owned) await store.DisposeAsync();
        await _db.DisposeAsync();
        await _database.DisposeAsync();
    }
}
