using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.ToolTasks;

namespace Moltworker.Host.Endpoints.Mcp;

/// <summary>
/// The tools <c>/mcp</c> offers: those the kernel offers a turn of the default agent (<c>Moltworker:Agent:Name</c>), that
/// is built-in, drop-in and MCP-sourced plugins' tools its <c>tools</c> patterns allow and its <c>ask_&lt;agent&gt;</c>
/// delegations (all of the catalog when no agent file defines it). Kept in the MCP library's tool collection and brought
/// up to date whenever the plugin catalog or the agent files change, within one deferred-change scope, so each
/// stateful session gets one <c>notifications/tools/list_changed</c> per change.
/// </summary>
public sealed class HostToolList : IDisposable
{
    private readonly PluginCatalog _catalog;
    private readonly AgentRegistry _agents;
    private readonly AgentTools _tools;
    private readonly IOptions<AgentOptions> _options;
    private readonly McpToolCalls _calls;
    private readonly Lock _sync = new();
    private readonly McpServerPrimitiveCollection<McpServerTool> _collection;
    private bool _filled;

    public HostToolList(HostToolCollection collection, PluginCatalog catalog, AgentRegistry agents, AgentTools tools, IOptions<AgentOptions> options, McpToolCalls calls)
    {
        _collection = collection.Tools;
        _catalog = catalog;
        _agents = agents;
        _tools = tools;
        _options = options;
        _calls = calls;
        catalog.Changed += OnChanged;
        agents.Changed += OnChanged;
    }

    /// <summary>Fills the collection the first time (called before each <c>/mcp</c> request, see
    /// <see cref="McpServerApi"/>), so that neither the host's start nor anything before the first MCP request waits for
    /// the kernel and the plugin catalog.</summary>
    public void EnsureFilled()
    {
        if (!Volatile.Read(ref _filled)) Refresh();
    }

    private void OnChanged()
    {
        if (Volatile.Read(ref _filled)) Refresh();
    }

    /// <summary>Brings the collection up to the tools offered now: new and replaced tools in, gone ones out.</summary>
    public void Refresh()
    {
        lock (_sync)
        {
            Volatile.Write(ref _filled, true);
            var collection = _collection;
            var offered = _tools.For(new TurnContext
            {
                TaskId = "",
                Address = new ChatAddress(ToolCallTasks.Channel, "tools"),
                History = [],
                Model = ModelInfo.None,
                Agent = _options.Value.Name,
            });
            using var batch = collection.DeferChangedEvents();
            foreach (var tool in collection.ToArray())
                if (!offered.TryGetValue(tool.ProtocolTool.Name, out var function) || !ReferenceEquals(((HostTool)tool).Function, function))
                    collection.Remove(tool);
            foreach (var (name, function) in offered)
                if (!collection.TryGetPrimitive(name, out _)) collection.Add(new HostTool(name, function, _calls));
        }
    }

    public void Dispose()
    {
        _catalog.Changed -= OnChanged;
        _agents.Changed -= OnChanged;
    }
}

/// <summary>The MCP library's tool collection, on its own so the server's options can hold it without building
/// <see cref="HostToolList"/> (and with it the kernel) while the host composes its endpoints.</summary>
public sealed class HostToolCollection
{
    public McpServerPrimitiveCollection<McpServerTool> Tools { get; } = new();
}
