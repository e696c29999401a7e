namespace Moltworker.Kernel.Plugins;

/// <summary>Somewhere plugins come from: compiled-in classes, the drop-in folder, MCP servers.</summary>
public interface IPluginSource
{
    /// <summary>Lower loads first and keeps unprefixed tool names on a clash.</summary>
    int Order { get; }

    IReadOnlyList<PluginDescriptor> Plugins { get; }

    /// <summary>Raised after <see cref="Plugins"/> changed (a file appeared, changed or vanished).</summary>
    event Action? Changed;
}
