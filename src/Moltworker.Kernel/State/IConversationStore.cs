using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.State;

/// <summary>Conversations and their messages (roles, tool calls, token counts, model).</summary>
public interface IConversationStore
{
    /// <summary>The last <paramref name="maxMessages"/> messages of a conversation, oldest first, never starting
    /// with an orphaned tool result.</summary>
    Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken);

    /// <summary>What a turn reads: the conversation's latest summary and the last <paramref name="maxMessages"/>
    /// messages after the range it replaces, with their ids, oldest first. When the limit cuts the messages they begin at
    /// a user message (never with an orphaned tool result); <see cref="LoadAsync"/> ignores summaries.</summary>
    Task<ConversationHistory> LoadHistoryAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken);

    /// <summary>Stores a summary of the conversation's current generation, in one write: afterwards
    /// <see cref="LoadHistoryAsync"/> reads it and the messages after its range, before it the history as it was. Once
    /// per range: when a summary through the same message is already stored, nothing is written and the stored one
    /// comes back.</summary>
    Task<ConversationSummary> SaveSummaryAsync(string conversationKey, ConversationSummary summary, CancellationToken cancellationToken);

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
