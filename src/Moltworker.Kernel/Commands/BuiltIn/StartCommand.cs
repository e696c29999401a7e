using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Commands.BuiltIn;

public sealed class StartCommand(HelpCommand help) : IBuiltInCommand
{
    public string Name => "start";
    public string Description => "Say hello and show what I can do";

    public async Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        var list = await help.RunAsync("", address, cancellationToken);
        return new ChatReply($"Hello! I am Moltworker, an assistant that can use tools.\n\n{list.Text}");
    }
}
