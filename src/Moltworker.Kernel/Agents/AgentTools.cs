using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moltworker.Abstractions;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// The tools a turn's agent has: the catalog's tools its <c>tools</c> patterns allow, plus <c>ask_&lt;agent&gt;</c> for
/// each agent its <c>delegates_to</c> names. A turn of no defined agent (a chat /command, a tool's own batch, a host
/// without agent files) has the whole catalog. Worked out once per catalog snapshot and agent set, and forgotten as
/// soon as either changes (so an unloaded plugin's functions are not kept alive here).
/// </summary>
public sealed class AgentTools
{
    private const string PluginName = "Agents";
    private readonly PluginCatalog catalog;
    private readonly AgentRegistry registry;
    private readonly IServiceProvider services;
    private readonly IOptionsMonitor<AgentsOptions> options;
    private Cache? _cache;

    public AgentTools(PluginCatalog catalog, AgentRegistry registry, IServiceProvider services, IOptionsMonitor<AgentsOptions> options)
    {
        this.catalog = catalog;
        this.registry = registry;
        this.services = services;
        this.options = options;
        catalog.Changed += Forget;
        registry.Changed += Forget;
    }

    private void Forget() => Volatile.Write(ref _cache, null);

    /// <summary>The tools offered to <paramref name="turn"/>, by name.</summary>
    public IReadOnlyDictionary<string, AIFunction> For(TurnContext turn)
    {
        var cache = Current();
        return cache.Agents.Find(turn.Agent) is { } agent ? cache.PerAgent.GetOrAdd(agent.Name, _ => Offer(cache, agent)) : cache.Tools.Tools;
    }

    /// <summary>The <c>ask_&lt;agent&gt;</c> functions of the current agents, by agent name.</summary>
    public IReadOnlyDictionary<string, DelegationFunction> Delegations => Current().Delegations;

    private Cache Current()
    {
        var snapshot = catalog.Snapshot;
        var agents = registry.Current;
        var cache = Volatile.Read(ref _cache);
        if (cache is not null && ReferenceEquals(cache.Tools, snapshot) && ReferenceEquals(cache.Agents, agents)) return cache;
        cache = new Cache(snapshot, agents, Delegate(snapshot, agents));
        Volatile.Write(ref _cache, cache);
        return cache;
    }

    private static IReadOnlyDictionary<string, AIFunction> Offer(Cache cache, AgentDefinition agent)
    {
        var tools = cache.Tools.Tools.Where(t => ToolPatterns.Allows(agent.Tools, t.Value)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        foreach (var target in cache.Agents.TargetsOf(agent))
            tools.TryAdd(target.FunctionName, cache.Delegations[target.Name]);
        return tools;
    }

    private Dictionary<string, DelegationFunction> Delegate(ToolSnapshot snapshot, AgentSet agents)
    {
        var timeout = options.CurrentValue.DelegationTimeout;
        var runner = new Lazy<ChildThreadRunner>(services.GetRequiredService<ChildThreadRunner>);
        // With durable threads a call that runs again meets its thread (read back, or resumed): it reconciles by its key.
        var idempotent = services.GetRequiredService<ChildThreadRecords>().Durable;
        return agents.Agents.Values.ToDictionary(a => a.Name, a =>
        {
            var (parallelSafe, sideEffects) = Declarations(snapshot, agents, a, []);
            var metadata = new ToolMetadata { Plugin = PluginName, ParallelSafe = parallelSafe, SideEffects = sideEffects, Idempotent = idempotent, Timeout = timeout };
            return new DelegationFunction(a, metadata, () => runner.Value);
        }, StringComparer.Ordinal);
    }

    /// <summary>What the agent's thread may do: run alongside others when all its tools (and those of the agents it may
    /// ask) may; change something when any of them does.</summary>
    private static (bool ParallelSafe, bool SideEffects) Declarations(ToolSnapshot snapshot, AgentSet agents, AgentDefinition agent, HashSet<string> seen)
    {
        seen.Add(agent.Name);
        var parallelSafe = true;
        var sideEffects = false;
        foreach (var tool in snapshot.Tools.Values.Where(t => ToolPatterns.Allows(agent.Tools, t)))
        {
            var metadata = ToolMetadata.Of(tool);
            parallelSafe &= metadata.SafeToRunAlongside;
            sideEffects |= metadata.SideEffects;
        }
        foreach (var target in agents.TargetsOf(agent).Where(t => !seen.Contains(t.Name)))
        {
            var (p, s) = Declarations(snapshot, agents, target, seen);
            parallelSafe &= p;
            sideEffects |= s;
        }
        return (parallelSafe, sideEffects);
    }

    private sealed record Cache(ToolSnapshot Tools, AgentSet Agents, IReadOnlyDictionary<string, DelegationFunction> Delegations)
    {
        public ConcurrentDictionary<string, IReadOnlyDictionary<string, AIFunction>> PerAgent { get; } = new(StringComparer.Ordinal);
    }
}
