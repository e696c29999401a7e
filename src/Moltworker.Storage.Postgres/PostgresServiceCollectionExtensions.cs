using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Feedback;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Memory;
using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Storage.Postgres.ApiKeys;
using Moltworker.Storage.Postgres.Caching;
using Moltworker.Storage.Postgres.Approvals;
using Moltworker.Storage.Postgres.Database;
using Moltworker.Storage.Postgres.Events;
using Moltworker.Storage.Postgres.Feedback;
using Moltworker.Storage.Postgres.Journal;
using Moltworker.Storage.Postgres.Memory;
using Moltworker.Storage.Postgres.Schedules;
using Moltworker.Storage.Postgres.Leases;
using Moltworker.Storage.Postgres.Stores;

namespace Moltworker.Storage.Postgres;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>PostgreSQL as the store of conversations, turns, inbox, settings, tasks, tool journal, transaction log
    /// (and usage), API keys, events, approvals, schedules, feedback and the tool-result cache's durable level, long-term memories, with leases and leader election for several hosts, on the database <paramref name="connectionString"/> names. The connection is tried and
    /// the schema migrated when the host starts (<see cref="PostgresStartupCheck"/>).</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        foreach (var migration in PostgresSchema.All) services.AddSingleton(migration);
        services.TryAddSingleton(sp => new PostgresDatabase(connectionString, sp.GetServices<PostgresMigration>()));
        services.AddHostedService<PostgresStartupCheck>();
        services.TryAddSingleton<IConversationStore, PostgresConversationStore>();
        services.TryAddSingleton<IInboxStore, PostgresInboxStore>();
        services.TryAddSingleton<IKeyValueStore, PostgresKeyValueStore>();
        services.TryAddSingleton<IApiKeyStore, PostgresApiKeyStore>();
        services.TryAddSingleton<IFeedbackStore, PostgresFeedbackStore>();
        services.TryAddSingleton<ITaskStore, PostgresTaskStore>();
        services.TryAddSingleton<IToolJournal, PostgresToolJournal>();
        services.TryAddSingleton<ITaskThreadStore, PostgresTaskThreadStore>();
        services.TryAddSingleton<ITaskEndStore, PostgresTaskEndStore>(); // the root thread's row and the task's status: one round trip
        // Several hosts may share the database: row leases, and the leader by advisory lock (last registration wins
        // over the kernel's single-host defaults).
        services.AddSingleton<IHostLeases, PostgresHostLeases>();
        services.TryAddSingleton<IInboxChatClaim, PostgresInboxChatClaim>(); // the chat lease, its pending items and an attempt: one statement
        services.AddSingleton<ILeaderElection, PostgresLeaderElection>();
        services.AddToolCacheStore<PostgresToolCacheStore>();
        services.TryAddSingleton<PostgresTransactionLog>();
        // Rows are queued and stored in batches off the turn's path, as on SQLite (see BufferedTransactionLog).
        services.TryAddSingleton<ITransactionLog>(sp => new BufferedTransactionLog(sp.GetRequiredService<PostgresTransactionLog>(),
            sp.GetService<IOptions<TransactionsOptions>>()?.Value.WriteDelay ?? new TransactionsOptions().WriteDelay,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<BufferedTransactionLog>>() ?? NullLogger<BufferedTransactionLog>.Instance));
        // The event log replaces the kernel's NoEventLog whichever was registered first; the watch makes every host's
        // live streams carry the events any host stores (SharedEventRelay).
        services.Replace(ServiceDescriptor.Singleton<IEventLog, PostgresEventLog>());
        services.TryAddSingleton<ISharedEventSource, PostgresEventWatch>();
        services.TryAddSingleton<IApprovalStore, PostgresApprovalStore>();
        services.TryAddSingleton<IScheduleStore, PostgresScheduleStore>();
        services.TryAddSingleton<IMemoryStore, PostgresMemoryStore>();
        services.AddSingleton<IHealthContributor, PostgresDatabaseHealth>();
        return services;
    }
}
