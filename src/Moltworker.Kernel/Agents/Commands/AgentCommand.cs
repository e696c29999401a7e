using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Agents.Commands;

/// <summary><c>/agent &lt;name&gt;</c>: this chat talks to that agent from now on (kept with the chat's settings);
/// without a name it says which agent the chat has.</summary>
public sealed class AgentCommand(AgentRegistry registry, ChatAgents chatAgents) : IBuiltInCommand
{
    public string Name => "agent";
    public string Description => "Switch this chat to another agent: /agent <name>";

    public async Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        var name = rest.Trim();
        var set = registry.Current;
        var known = string.Join(", ", set.Agents.Keys.Order(StringComparer.Ordinal));
        if (name.Length == 0)
            return new ChatReply($"This chat talks to '{await chatAgents.AgentOfAsync(address, cancellationToken)}'. Agents: {known}. Switch with /agent <name>.");
        if (set.Find(name) is null)
        {
            var failed = set.Errors.FirstOrDefault(e => e.Name == name);
            return new ChatReply(failed is null ? $"There is no agent '{name}'. Agents: {known}." : $"Agent '{name}' failed to load: {failed}", IsError: true);
        }
        await chatAgents.ChooseAsync(address, name, cancellationToken);
        return new ChatReply($"This chat now talks to '{name}'.");
    }
}
