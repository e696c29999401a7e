using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Journal;

public static class JournalServiceCollectionExtensions
{
    /// <summary>SQLite stores for durable tasks, the tool journal and the transaction log (module "journal").</summary>
    public static IServiceCollection AddSqliteJournal(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDatabase>();
        services.AddSqliteMigration(JournalMigrations.V1);
        services.TryAddSingleton<JournalWriteGate>();
        services.TryAddSingleton<ITaskStore, SqliteTaskStore>();
        services.TryAddSingleton<IToolJournal, SqliteToolJournal>();
        services.TryAddSingleton<ITransactionLog, SqliteTransactionLog>();
        return services;
    }
}
