using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Context;

/// <summary>The note a request carries when earlier messages of the conversation were left out of it: the model then
/// knows the conversation goes back further than what it sees.</summary>
public static class DroppedNote
{
    public static ChatMessage For(int dropped) => new(ChatRole.System,
        $"Note: {dropped} earlier message(s) of this conversation were left out of this request to fit the model's context window.");
}
