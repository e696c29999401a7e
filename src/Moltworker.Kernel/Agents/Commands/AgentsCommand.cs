using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Agents.Commands;

/// <summary><c>/agents</c>: the agents with their descriptions, the chat's own marked.</summary>
public sealed class AgentsCommand(AgentRegistry registry, ChatAgents chatAgents) : IBuiltInCommand
{
    public string Name => "agents";
    public string Description => "List the agents and what each does";

    public async Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken) =>
        new(AgentListing.Describe(registry.Current, await chatAgents.AgentOfAsync(address, cancellationToken)));
}
