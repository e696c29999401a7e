namespace Moltworker.Kernel.Commands;

/// <summary>The commands on offer now (built-ins first, then tool commands; changes when plugins load or unload).</summary>
public interface ICommandCatalog
{
    IReadOnlyList<ChatCommand> Commands { get; }

    /// <summary>Raised when the set of commands changes (a plugin was loaded, reloaded or unloaded).</summary>
    event Action? Changed;
}
