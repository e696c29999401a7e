using Microsoft.Extensions.AI;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Context;

/// <summary>How a stored <see cref="ConversationSummary"/> goes into a turn's history: a system message after the
/// system prompt, marked by its <see cref="ChatMessage.MessageId"/> (which is not sent to the model) so that a later
/// compaction of the same turn replaces it.</summary>
public static class SummaryMessage
{
    public const string Id = "moltworker.conversation-summary";

    public static ChatMessage For(ConversationSummary summary) =>
        new(ChatRole.System, $"Summary of the earlier conversation (the messages after it continue from here):\n\n{summary.Text}") { MessageId = Id };

    public static bool Is(ChatMessage message) => message.MessageId == Id;
}
