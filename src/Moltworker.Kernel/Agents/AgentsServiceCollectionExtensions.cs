using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Agents.Commands;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Agents;

public static class AgentsServiceCollectionExtensions
{
    /// <summary>Agent files, the per-turn tool sets with <c>ask_&lt;agent&gt;</c>, child threads, the per-chat agent,
    /// <c>/agents</c>, <c>/agent</c> and the <c>/healthz</c> entry. Part of <c>AddMoltworkerKernel</c>.</summary>
    public static IServiceCollection AddMoltworkerAgents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentsOptions>().Bind(configuration.GetSection("Moltworker:Agents"))
            .Validate(o => o.MaxDepth >= 0, "Moltworker:Agents:MaxDepth must not be negative.")
            .Validate(o => o.MaxToolCallsPerTask > 0, "Moltworker:Agents:MaxToolCallsPerTask must be positive.")
            .Validate(o => o.DelegationTimeout > TimeSpan.Zero, "Moltworker:Agents:DelegationTimeout must be positive.");
        services.TryAddSingleton<AgentRegistry>();
        services.TryAddSingleton<AgentTools>();
        services.TryAddSingleton<ChildThreadRecords>();
        services.TryAddSingleton<ChildThreadRunner>();
        services.TryAddSingleton<ChatAgents>();
        services.AddSingleton<IBuiltInCommand, AgentsCommand>();
        services.AddSingleton<IBuiltInCommand, AgentCommand>();
        services.AddSingleton<IHealthContributor, AgentsHealth>();
        return services;
    }
}
