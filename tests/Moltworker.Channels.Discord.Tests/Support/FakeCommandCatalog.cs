using Moltworker.Kernel.Commands;

namespace Moltworker.Channels.Discord.Tests.Support;

public sealed class FakeCommandCatalog(IReadOnlyList<ChatCommand> commands) : ICommandCatalog
{
    public IReadOnlyList<ChatCommand> Commands { get; private set; } = commands;

    public event Action? Changed;

    public void Replace(IReadOnlyList<ChatCommand> commands)
    {
        Commands = commands;
        Changed?.Invoke();
    }
}
