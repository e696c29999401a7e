using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// The agent each chat talks to: the one chosen with <c>/agent &lt;name&gt;</c>, kept with the chat's settings (the
/// key-value store, key <c>chat-agent:&lt;conversation&gt;</c>), else <c>Moltworker:Agent:Name</c>. Reads are cached.
/// Without a store (a host with no storage) the choice lasts until the process stops.
/// </summary>
public sealed class ChatAgents(IOptions<AgentOptions> options, IKeyValueStore? store = null)
{
    private readonly ConcurrentDictionary<string, string?> _chosen = new(StringComparer.Ordinal);

    public async Task<string> AgentOfAsync(ChatAddress address, CancellationToken cancellationToken)
    {
        var key = Key(address);
        if (!_chosen.TryGetValue(key, out var chosen))
        {
            chosen = store is null ? null : await store.GetAsync(key, cancellationToken);
            _chosen[key] = chosen;
        }
        return string.IsNullOrEmpty(chosen) ? options.Value.Name : chosen;
    }

    public async Task ChooseAsync(ChatAddress address, string agent, CancellationToken cancellationToken)
    {
        var key = Key(address);
        if (store is not null) await store.SetAsync(key, agent, cancellationToken);
        _chosen[key] = agent;
    }

    private static string Key(ChatAddress address) => $"chat-agent:{address.ConversationKey}";
}
