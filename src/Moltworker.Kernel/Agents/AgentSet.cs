namespace Moltworker.Kernel.Agents;

/// <summary>The agent files as read at one moment: the agents that parsed, and the files that did not.</summary>
public sealed class AgentSet(IReadOnlyDictionary<string, AgentDefinition> agents, IReadOnlyList<AgentFileError> errors)
{
    public static readonly AgentSet Empty = new(new Dictionary<string, AgentDefinition>(), []);

    public IReadOnlyDictionary<string, AgentDefinition> Agents { get; } = agents;
    public IReadOnlyList<AgentFileError> Errors { get; } = errors;

    public AgentDefinition? Find(string name) => Agents.GetValueOrDefault(name);

    /// <summary>The agents <paramref name="caller"/> may ask, in name order.</summary>
    public IEnumerable<AgentDefinition> TargetsOf(AgentDefinition caller) =>
        Agents.Values.Where(a => caller.MayAsk(a.Name)).OrderBy(a => a.Name, StringComparer.Ordinal);
}
