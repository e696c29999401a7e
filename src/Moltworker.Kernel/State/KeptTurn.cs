namespace Moltworker.Kernel.State;

/// <summary>The record that one turn's messages are in the conversation: its id (the task id), the conversation and the
/// answer the turn gave. A turn is kept at most once; a resumed task that finds its turn kept finishes from it.</summary>
public sealed record KeptTurn(string TurnId, string ConversationKey, string Answer);
