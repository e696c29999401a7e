using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Feedback;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Memory;
using Moltworker.Kernel.Schedules;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Approvals;
using Moltworker.Storage.Sqlite.ApiKeys;
using Moltworker.Storage.Sqlite.Approvals;
using Moltworker.Storage.Sqlite.Backup;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Events;
using Moltworker.Storage.Sqlite.Feedback;
using Moltworker.Storage.Sqlite.Journal;
using Moltworker.Storage.Sqlite.Memory;
using Moltworker.Storage.Sqlite.Schedules;
using Moltworker.Storage.Sqlite.Stores;

namespace Moltworker.Storage.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>SQLite as the store of conversations, inbox, settings, tasks, events, feedback and long-term memories (one file in Moltworker:DataDirectory).</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        services.AddSqliteFile();
        foreach (var migration in CoreMigrations.All) services.AddSqliteMigration(migration);
        foreach (var migration in CompactionMigrations.All) services.AddSqliteMigration(migration);
        services.TryAddSingleton<IConversationStore, SqliteConversationStore>();
        services.TryAddSingleton<IInboxStore, SqliteInboxStore>();
        services.TryAddSingleton<IKeyValueStore, SqliteKeyValueStore>();
        foreach (var migration in ApiKeyMigrations.All) services.AddSqliteMigration(migration);
        services.TryAddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        foreach (var migration in FeedbackMigrations.All) services.AddSqliteMigration(migration);
        services.TryAddSingleton<IFeedbackStore, SqliteFeedbackStore>();
        foreach (var migration in MemoryMigrations.All) services.AddSqliteMigration(migration);
        services.TryAddSingleton<IMemoryStore, SqliteMemoryStore>();
        services.AddSingleton<IHealthContributor, DatabaseHealth>();
        services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section)
            .Validate(o => o.Every >= TimeSpan.Zero, "Moltworker:Backup:Every must not be negative (zero turns scheduled backups off).")
            .Validate(o => o.Keep >= 1, "Moltworker:Backup:Keep must be at least 1.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), "Moltworker:Backup:Directory must name a folder.")
            .ValidateOnStart();
        services.TryAddSingleton<ScheduledBackupService>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledBackupService>());
        services.AddSqliteJournal();
        // The event log (module "events"); replaces the kernel's NoEventLog whichever was registered first.
        foreach (var migration in EventMigrations.All) services.AddSqliteMigration(migration);
        services.Replace(ServiceDescriptor.Singleton<IEventLog, SqliteEventLog>());
        services.AddSqliteOnlyStores();
        return services;
    }

    /// <summary>The SQLite schedule and approval stores (modules "schedules" and "approvals") in <c>moltworker.db</c>.
    /// On PostgreSQL the host uses that provider's own versions instead.</summary>
    public static IServiceCollection AddSqliteOnlyStores(this IServiceCollection services)
    {
        services.AddSqliteFile();
        foreach (var migration in ScheduleMigrations.All) services.AddSqliteMigration(migration);
        services.TryAddSingleton<IScheduleStore, SqliteScheduleStore>();
        foreach (var migration in ApprovalMigrations.All) services.AddSqliteMigration(migration);
        services.TryAddSingleton<IApprovalStore, SqliteApprovalStore>();
        return services;
    }

    /// <summary>Only the file <c>moltworker.db</c> in Moltworker:DataDirectory with its background WAL checkpoints, for
    /// what stays on each host when the shared stores live elsewhere (the knowledge base's local copy).</summary>
    public static IServiceCollection AddSqliteFile(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDatabase>();
        services.AddHostedService<WalCheckpointService>();
        return services;
    }

    /// <summary>Adds a schema step; each module numbers its own versions from 1.</summary>
    public static IServiceCollection AddSqliteMigration(this IServiceCollection services, SqliteMigration migration)
    {
        services.AddSingleton(migration);
        return services;
    }
}
