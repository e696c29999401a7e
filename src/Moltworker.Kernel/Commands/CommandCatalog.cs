using Moltworker.Abstractions;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Commands;

/// <summary>Built-in commands first, then every tool offered as a command, from the current plugin snapshot.</summary>
public sealed class CommandCatalog : ICommandCatalog
{
    private readonly IReadOnlyList<IBuiltInCommand> _builtIns;
    private readonly PluginCatalog _plugins;

    public CommandCatalog(IEnumerable<IBuiltInCommand> builtIns, PluginCatalog plugins)
    {
        _builtIns = builtIns.ToList();
        _plugins = plugins;
        plugins.Changed += () => Changed?.Invoke();
    }

    public event Action? Changed;

    public IReadOnlyList<ChatCommand> Commands
    {
        get
        {
            var list = _builtIns.Select(b => new ChatCommand(b.Name, b.Description)).ToList();
            var taken = list.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var tool in _plugins.Snapshot.Tools.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                if (ToolMetadata.Of(tool).Command is not { } name || !taken.Add(name.ToLowerInvariant())) continue;
                list.Add(new ChatCommand(name.ToLowerInvariant(), tool.Description, tool));
            }
            return list;
        }
    }

    public IBuiltInCommand? BuiltIn(string name) => _builtIns.FirstOrDefault(b => b.Name == name);
}
