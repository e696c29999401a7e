using Microsoft.Extensions.AI;
using Moltworker.Kernel.State;

namespace Moltworker.CrashHost;

/// <summary>The real conversation store with the fault plan's kill points around keeping a turn: <c>before-keep</c>
/// (the turn's messages are not committed) and <c>after-keep</c> (committed; the task is not yet marked completed); and
/// around storing a compaction's summary: <c>before-summary</c> (the model has summarized, nothing is stored) and
/// <c>after-summary</c> (stored; the turn has not yet used it).</summary>
public sealed class CrashingConversations(IConversationStore inner, FaultPlan plan) : IConversationStore
{
    public async Task<KeptTurn> AppendTurnAsync(KeptTurn turn, IReadOnlyList<ChatMessage> messages, string? model, CancellationToken cancellationToken)
    {
        plan.Reached("before-keep");
        var kept = await inner.AppendTurnAsync(turn, messages, model, cancellationToken);
        plan.Reached("after-keep");
        return kept;
    }

    public Task<IReadOnlyList<ChatMessage>> LoadAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken) =>
        inner.LoadAsync(conversationKey, maxMessages, cancellationToken);

    public Task<ConversationHistory> LoadHistoryAsync(string conversationKey, int maxMessages, CancellationToken cancellationToken) =>
        inner.LoadHistoryAsync(conversationKey, maxMessages, cancellationToken);

    public async Task<ConversationSummary> SaveSummaryAsync(string conversationKey, ConversationSummary summary, CancellationToken cancellationToken)
    {
        plan.Reached("before-summary");
        var stored = await inner.SaveSummaryAsync(conversationKey, summary, cancellationToken);
        plan.Reached("after-summary");
        return stored;
    }

    public Task<KeptTurn?> FindTurnAsync(string turnId, CancellationToken cancellationToken) => inner.FindTurnAsync(turnId, cancellationToken);

    public Task<int> PruneTurnsAsync(DateTimeOffset before, CancellationToken cancellationToken) => inner.PruneTurnsAsync(before, cancellationToken);

    public Task ResetAsync(string conversationKey, CancellationToken cancellationToken) => inner.ResetAsync(conversationKey, cancellationToken);
}
