using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Agents;

/// <summary>/healthz entry "agents": the agents that loaded and the agent files that did not, by name and line. A bad
/// file does not make the host unhealthy: the other agents keep working.</summary>
public sealed class AgentsHealth(AgentRegistry registry) : IHealthContributor
{
    public string Name => "agents";

    public Task<HealthEntry> CheckAsync(CancellationToken cancellationToken)
    {
        var set = registry.Current;
        return Task.FromResult(new HealthEntry(true, new
        {
            loaded = set.Agents.Keys.Order(StringComparer.Ordinal),
            failed = set.Errors.Select(e => new { name = e.Name, file = e.Path, line = e.Line, error = e.Message }),
        }, set.Errors.Count > 0 ? "Fix the agent files listed under failed; they reload when saved." : null));
    }
}
