using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.State;

/// <summary>Conversations and their messages (roles, tool calls, token counts, model).</summary>
public interface IConversationStore
{
    /// <summary>The last <paramref name="maxMessages"/> messages of a conversation, oldest first, never starting
    /// with an orphaned tool result.</summary>
    Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken);

    /// <summary>Appends the new messages of one turn and records the turn, all or nothing, once per
    /// <see cref="KeptTurn.TurnId"/>. Returns the turn as stored: when it was already kept (a resumed task whose earlier
    /// run stopped after keeping it), nothing is written and the earlier record comes back.</summary>
    Task<KeptTurn> AppendTurnAsync(KeptTurn turn, IReadOnlyList<ChatMessage> messages, string? model, CancellationToken cancellationToken);

    /// <summary>The record of a kept turn, or null when its messages were never appended.</summary>
    Task<KeptTurn?> FindTurnAsync(string turnId, CancellationToken cancellationToken);

    /// <summary>Deletes kept-turn records (not the messages) kept before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneTurnsAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Starts a fresh conversation (old messages are kept but no longer loaded).</summary>
    Task ResetAsync(string conversationKey, CancellationToken cancellationToken);
}
