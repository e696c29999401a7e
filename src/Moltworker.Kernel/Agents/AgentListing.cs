using System.Text;

namespace Moltworker.Kernel.Agents;

/// <summary>The text of <c>/agents</c> and <c>moltworker agents list</c>: each agent with its description, who it may
/// ask, then the agent files that failed to load.</summary>
public static class AgentListing
{
    public static string Describe(AgentSet set, string? current = null)
    {
        var text = new StringBuilder();
        foreach (var agent in set.Agents.Values.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            text.Append($"**{agent.Name}**{(agent.Name == current ? " (this chat)" : "")}: {(agent.Description.Length > 0 ? agent.Description : "no description")}");
            var targets = set.TargetsOf(agent).Select(a => a.Name).ToList();
            if (targets.Count > 0) text.Append($" Asks: {string.Join(", ", targets)}.");
            text.Append('\n');
        }
        foreach (var error in set.Errors)
            text.Append($"FAILED {error}\n");
        return text.Length == 0 ? "No agents are defined (prompts/agents/*.md)." : text.ToString().TrimEnd();
    }
}
