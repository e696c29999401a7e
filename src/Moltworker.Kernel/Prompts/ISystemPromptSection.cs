using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Prompts;

/// <summary>A part of a turn's system prompt that depends on the message (long-term memories): appended after the
/// system prompt and the agent's prompt, for the root turn of a task. Delegated threads get none.</summary>
public interface ISystemPromptSection
{
    /// <summary>The text to append for this turn, or null for nothing. <paramref name="model"/> is the turn's model
    /// (its tokenizer measures budgets).</summary>
    Task<string?> ForTurnAsync(IncomingMessage message, ModelInfo model, CancellationToken cancellationToken);
}
