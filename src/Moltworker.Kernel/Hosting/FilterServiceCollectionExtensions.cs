using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Filters.SemanticKernel;
using Moltworker.Kernel.Filters.Budgets;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Filters.Gating;
using Moltworker.Kernel.Filters.Journal;
using Moltworker.Kernel.Filters.Retries;
using Moltworker.Kernel.Filters.Timeouts;
using Moltworker.Kernel.Filters.Transactions;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Kernel.Hosting;

public static class FilterServiceCollectionExtensions
{
    /// <summary>
    /// The function-invocation filters: parallel gating, per-call timeouts and retries, the journal and checkpoints of
    /// durable tasks, phase budgets with auto-resume, resume at start, the transaction log, the tool-result cache. Needs stores for
    /// <see cref="ITaskStore"/>, <see cref="IToolJournal"/> and <see cref="ITransactionLog"/> (e.g. AddSqliteStorage).
    /// </summary>
    public static IServiceCollection AddMoltworkerFilters(this IServiceCollection services, IConfiguration configuration)
    {
        const string section = KernelServiceCollectionExtensions.Section;
        services.AddOptions<ToolsOptions>().Bind(configuration.GetSection($"{section}:Tools"));
        services.AddOptions<TasksOptions>().Bind(configuration.GetSection($"{section}:Tasks"));
        services.AddOptions<ToolRetryOptions>().Bind(configuration.GetSection($"{section}:Tools:Retry"));
        services.AddOptions<TransactionsOptions>().Bind(configuration.GetSection($"{section}:Transactions"));
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<TaskOwner>();
        services.TryAddSingleton<TaskCheckpointer>();
        services.TryAddSingleton<PhaseBudgets>();
        services.TryAddSingleton<Redactor>();
        services.AddSingleton<ITaskTracker, DurableTaskTracker>();

        // The filters; their order is FilterOrder's, not this registration order.
        services.AddTurnFilter<TaskAutoResumeFilter>();
        services.AddTurnFilter<PhaseBudgetFilter>();
        services.AddBatchFilter<ParallelGateFilter>();
        services.AddBatchFilter<CheckpointBatchFilter>();
        services.AddBatchFilter<JournalReplayFilter>();
        services.AddFunctionFilter<JournalCallFilter>();
        services.AddFunctionFilter<CallRetryFilter>();
        services.AddFunctionFilter<TransactionLogCallFilter>();
        services.AddFunctionFilter<CallTimeoutFilter>();
        services.AddMoltworkerToolCache(configuration);

        services.AddSingleton<IChatClientDecorator, TransactionChatClientDecorator>();
        services.TryAddSingleton<TaskResumeService>();
        services.AddHostedService(sp => sp.GetRequiredService<TaskResumeService>());
        services.AddSingleton<IExpiredWorkSweep>(sp => sp.GetRequiredService<TaskResumeService>());
        services.AddMoltworkerCluster(configuration);
        services.AddHostedService<TransactionRetentionService>();
        services.AddHostedService<TaskRetentionService>();
        services.AddSingleton<IHealthContributor, TasksHealth>();
        services.AddMoltworkerApprovals(configuration);
        return services;
    }
}
