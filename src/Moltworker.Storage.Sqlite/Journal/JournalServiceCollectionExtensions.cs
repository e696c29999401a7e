using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Storage.Sqlite.Caching;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Journal;

public static class JournalServiceCollectionExtensions
{
    /// <summary>SQLite stores for durable tasks, the tool journal and the transaction log (module "journal"), the threads of
    /// durable tasks (module "threads"), and the tool-result cache's durable level (module "toolcache").</summary>
    public static IServiceCollection AddSqliteJournal(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDatabase>();
        services.AddSqliteMigration(JournalMigrations.V1);
        services.TryAddSingleton<JournalWriteGate>();
        services.TryAddSingleton<ITaskStore, SqliteTaskStore>();
        services.TryAddSingleton<IToolJournal, SqliteToolJournal>();
        services.AddSqliteMigration(ThreadMigrations.V1);
        services.TryAddSingleton<ITaskThreadStore, SqliteTaskThreadStore>();
        // The tool-result cache's durable level and the transaction log's "cached" flag (module "toolcache").
        services.AddSqliteMigration(ToolCacheMigrations.V1);
        services.AddToolCacheStore<SqliteToolCacheStore>();
        services.TryAddSingleton<SqliteTransactionLog>();
        // Rows are queued and stored in batches off the turn's path (see BufferedTransactionLog).
        services.TryAddSingleton<ITransactionLog>(sp => new BufferedTransactionLog(sp.GetRequiredService<SqliteTransactionLog>(),
            sp.GetService<IOptions<TransactionsOptions>>()?.Value.WriteDelay ?? new TransactionsOptions().WriteDelay,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<BufferedTransactionLog>>() ?? NullLogger<BufferedTransactionLog>.Instance));
        return services;
    }
}
