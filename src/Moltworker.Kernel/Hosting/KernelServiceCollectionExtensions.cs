using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Abstractions;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Commands.BuiltIn;
using Moltworker.Kernel.Commands.Registration;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Filters.Results;
using Moltworker.Kernel.Filters.Builtin;
using Moltworker.Kernel.Filters.SemanticKernel;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.Prompts;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Hosting;

public static class KernelServiceCollectionExtensions
{
    public const string Section = "Moltworker";

    /// <summary>The agent kernel: options, model access, plugin catalog, filter pipeline, commands, inbox.</summary>
    public static IServiceCollection AddMoltworkerKernel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LlmOptions>().Bind(configuration.GetSection($"{Section}:Llm"));
        services.AddOptions<AgentOptions>().Bind(configuration.GetSection($"{Section}:Agent"));
        services.AddOptions<ContextOptions>().Bind(configuration.GetSection($"{Section}:Context"))
            .Validate(o => o.DefaultContextWindow > 0, "Moltworker:Context:DefaultContextWindow must be a positive number of tokens.")
            .Validate(o => o.AnswerReserveTokens >= 0, "Moltworker:Context:AnswerReserveTokens must not be negative.")
            .Validate(o => o.CompactAt is >= 0 and <= 1, "Moltworker:Context:CompactAt must be a share of the context window from 0 (compaction off) to 1.")
            .Validate(o => o.KeepRecent >= 0, "Moltworker:Context:KeepRecent must not be negative.");
        services.AddOptions<ToolsOptions>().Bind(configuration.GetSection($"{Section}:Tools"));
        services.AddOptions<InboxOptions>().Bind(configuration.GetSection($"{Section}:Inbox"));
        services.AddOptions<CommandRegistrationOptions>().Bind(configuration.GetSection(CommandRegistrationOptions.Section));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(Section))
            .PostConfigure<IHostEnvironment>((o, env) => o.DataDirectory = ContentPaths.Resolve(env, o.DataDirectory, mustExist: false));
        services.AddOptions<PromptOptions>().Bind(configuration.GetSection($"{Section}:Prompts"))
            .PostConfigure<IHostEnvironment>((o, env) => o.Directory = ContentPaths.Resolve(env, o.Directory, mustExist: true));
        services.AddOptions<PluginsOptions>().Bind(configuration.GetSection($"{Section}:Plugins"))
            .PostConfigure<IHostEnvironment>((o, env) => o.Directory = ContentPaths.Resolve(env, o.Directory, mustExist: false));

        services.TryAddSingleton(TimeProvider.System);
        services.AddMoltworkerEvents(configuration);

        // Model access: the OpenAI SDK and M.E.AI's adapter over a named HttpClient that retries (Http.Resilience),
        // fallbacks, then the decorators (journal, log) composed with ChatClientBuilder around whichever client is registered.
        services.TryAddSingleton(sp => new ModelCatalog(sp.GetRequiredService<IOptions<LlmOptions>>()));
        services.TryAddSingleton<ModelAccess>();
        services.AddModelClient();

        // Plugins and prompts.
        services.TryAddSingleton<PluginFactory>();
        services.AddSingleton<IPluginSource, CompiledPluginSource>();
        services.TryAddSingleton<PluginCatalog>();
        services.TryAddSingleton<HostedKernel>();
        services.TryAddSingleton(sp => sp.GetRequiredService<HostedKernel>().Kernel);
        services.TryAddSingleton<PromptLibrary>();
        services.AddMoltworkerAgents(configuration);

        // The loop and its pipeline.
        services.TryAddSingleton<CallPreparer>();
        services.TryAddSingleton<FunctionInvoker>();
        services.TryAddSingleton<BatchRunner>();
        services.TryAddSingleton<ToolTasks.ToolCallTaskRunner>();
        services.TryAddSingleton<ToolOffer>();
        services.TryAddSingleton<TokenCounter>();
        services.TryAddSingleton<Moltworker.Kernel.Transactions.UsageEstimate>();
        services.TryAddSingleton<ContextBudget>();
        services.TryAddSingleton<HistoryWindow>();
        services.TryAddSingleton<ContextCompactor>();
        services.TryAddSingleton<TurnCompaction>();
        services.TryAddSingleton<AgentLoop>();
        services.TryAddSingleton<PhaseRunner>();
        services.TryAddSingleton<TaskFailureRecorder>();
        services.TryAddSingleton<Tasks.RunningTasks>();
        services.TryAddSingleton<AgentService>();
        services.TryAddSingleton<LegacyTaskIds>();
        services.TryAddSingleton<IToolInvoker, KernelToolInvoker>();
        // Filters that need no stores (the rest: AddMoltworkerFilters); their order is FilterOrder's.
        services.AddBatchFilter<EventsBatchFilter>();
        services.AddCallFilter<AutoFunctionFilterCallFilter>();
        services.AddFunctionFilter<EventsCallFilter>();
        services.AddFunctionFilter<TimingLogFilter>();
        services.AddFunctionFilter<CallResultFilter>();

        // Chat and commands.
        services.TryAddSingleton<IChatService, ChatService>();
        services.TryAddSingleton<INoModelResponder, ConfigureModelResponder>();
        services.TryAddSingleton<CommandCatalog>();
        services.TryAddSingleton<ICommandCatalog>(sp => sp.GetRequiredService<CommandCatalog>());
        services.TryAddSingleton<ICommandRunner, CommandRunner>();
        services.TryAddSingleton<HelpCommand>();
        services.AddSingleton<IBuiltInCommand, StartCommand>();
        services.AddSingleton<IBuiltInCommand>(sp => sp.GetRequiredService<HelpCommand>());
        services.AddSingleton<IBuiltInCommand, ResetCommand>();
        services.AddSingleton<IBuiltInCommand, CompactCommand>();
        services.AddSingleton<IBuiltInCommand, StatusCommand>();
        services.AddSingleton<IBuiltInCommand, PluginsCommand>();

        // Inbox and health.
        services.TryAddSingleton<InboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxDispatcher>());
        services.AddSingleton<Cluster.IExpiredWorkSweep>(sp => sp.GetRequiredService<InboxDispatcher>());
        services.AddSingleton<IHealthContributor, ModelHealth>();
        services.AddSingleton<IHealthContributor, PluginsHealth>();
        services.AddSingleton<PluginWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<PluginWarmup>());
        services.AddSingleton<IHealthContributor, MemoryHealth>();
        services.AddSingleton<IHealthContributor, RuntimeHealth>();
        return services;
    }

    public static IServiceCollection AddPlugin<T>(this IServiceCollection services) where T : class => services.AddPlugin(typeof(T));

    public static IServiceCollection AddPlugin(this IServiceCollection services, Type pluginType)
    {
        services.AddSingleton(new PluginRegistration(pluginType));
        return services;
    }

    /// <summary>Registers a filter; where it runs is written in <see cref="Filters.FilterOrder"/> (a type not listed
    /// there runs inside the listed ones, in registration order).</summary>
    public static IServiceCollection AddTurnFilter<T>(this IServiceCollection services) where T : class, ITurnFilter
    { services.AddSingleton<ITurnFilter, T>(); return services; }

    public static IServiceCollection AddBatchFilter<T>(this IServiceCollection services) where T : class, IBatchFilter
    { services.AddSingleton<IBatchFilter, T>(); return services; }

    public static IServiceCollection AddCallFilter<T>(this IServiceCollection services) where T : class, ICallFilter
    { services.AddSingleton<ICallFilter, T>(); return services; }

    /// <summary>Registers one of Moltworker's per-call concerns, an SK function-invocation filter the hosted kernel runs
    /// before a user's (a user's own filter is registered as <c>IFunctionInvocationFilter</c>).</summary>
    public static IServiceCollection AddFunctionFilter<T>(this IServiceCollection services) where T : class, ICallFunctionFilter
    { services.AddSingleton<ICallFunctionFilter, T>(); return services; }
}
