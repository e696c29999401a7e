using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Commands.BuiltIn;

public sealed class ResetCommand(IConversationStore conversations) : IBuiltInCommand
{
    public string Name => "reset";
    public string Description => "Forget this conversation and start fresh";

    public async Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        await conversations.ResetAsync(address.ConversationKey, cancellationToken);
        return new ChatReply("Done: this conversation starts fresh.");
    }
}
