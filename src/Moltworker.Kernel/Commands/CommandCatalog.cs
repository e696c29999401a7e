using Moltworker.Abstractions;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Commands;

/// <summary>Built-in commands first, then every tool offered as a command, from the current plugin snapshot.</summary>
public sealed class CommandCatalog : ICommandCatalog
{
    private readonly IReadOnlyList<IBuiltInCommand> _builtIns;
    private readonly PluginCatalog _plugins;
    private Cached? _cache;

    public CommandCatalog(IEnumerable<IBuiltInCommand> builtIns, PluginCatalog plugins)
    {
        _builtIns = builtIns.ToList();
        _plugins = plugins;
        plugins.Changed += () =>
        {
            Volatile.Write(ref _cache, null); // never keep an unloaded plugin's functions alive
            Changed?.Invoke();
        };
    }

    public event Action? Changed;

    /// <summary>Built once per plugin snapshot (snapshots are immutable; a plugin change makes a new one).</summary>
    public IReadOnlyList<ChatCommand> Commands
    {
        get
        {
            var snapshot = _plugins.Snapshot;
            var cached = Volatile.Read(ref _cache);
            if (cached?.Snapshot == snapshot) return cached.Commands;
            cached = new Cached(snapshot, Build(snapshot));
            Volatile.Write(ref _cache, cached);
            return cached.Commands;
        }
    }

    private IReadOnlyList<ChatCommand> Build(ToolSnapshot snapshot)
    {
        var list = _builtIns.Select(b => new ChatCommand(b.Name, b.Description)).ToList();
        var taken = list.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tool in snapshot.Tools.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (ToolMetadata.Of(tool).Command is not { } name || !taken.Add(name.ToLowerInvariant())) continue;
            list.Add(new ChatCommand(name.ToLowerInvariant(), tool.Description, tool));
        }
        return list;
    }

    private sealed record Cached(ToolSnapshot Snapshot, IReadOnlyList<ChatCommand> Commands);

    public IBuiltInCommand? BuiltIn(string name) => _builtIns.FirstOrDefault(b => b.Name == name);
}
