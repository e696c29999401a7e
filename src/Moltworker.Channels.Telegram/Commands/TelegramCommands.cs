using Moltworker.Kernel.Commands;

namespace Moltworker.Channels.Telegram.Commands;

/// <summary>The current <see cref="CommandMap"/>, rebuilt when the kernel's command catalog changes.</summary>
public sealed class TelegramCommands : IDisposable
{
    private readonly ICommandCatalog _catalog;
    private CommandMap _map;

    public TelegramCommands(ICommandCatalog catalog)
    {
        _catalog = catalog;
        _map = new CommandMap(catalog.Commands);
        catalog.Changed += OnChanged;
    }

    public CommandMap Map => Volatile.Read(ref _map);

    /// <summary>Raised after the map was rebuilt.</summary>
    public event Action? Changed;

    public void Dispose() => _catalog.Changed -= OnChanged;

    private void OnChanged()
    {
        Volatile.Write(ref _map, new CommandMap(_catalog.Commands));
        Changed?.Invoke();
    }
}
