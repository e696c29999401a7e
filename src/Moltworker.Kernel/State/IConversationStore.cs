using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.State;

/// <summary>Conversations and their messages (roles, tool calls, token counts, model).</summary>
public interface IConversationStore
{
    /// <summary>The last <paramref name="maxMessages"/> messages of a conversation, oldest first, never starting
    /// with an orphaned tool result.</summary>
    Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken);

    Task AppendAsync(string conversationKey, IReadOnlyList<ChatMessage> messages, string? model, CancellationToken cancellationToken);

    /// <summary>Starts a fresh conversation (old messages are kept but no longer loaded).</summary>
    Task ResetAsync(string conversationKey, CancellationToken cancellationToken);
}
