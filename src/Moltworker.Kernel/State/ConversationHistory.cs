using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.State;

/// <summary>A conversation as a turn reads it: the latest <see cref="Summary"/> (null before the first compaction) and
/// the stored messages after the range it replaces, oldest first.</summary>
public sealed record ConversationHistory(ConversationSummary? Summary, IReadOnlyList<StoredMessage> Messages)
{
    public static ConversationHistory Empty { get; } = new(null, []);
}

/// <summary>A message with its id in the conversation store (ids grow with every message appended).</summary>
public readonly record struct StoredMessage(long Id, ChatMessage Message);

/// <summary>A compaction: <see cref="Text"/> stands for every message of the conversation's current generation up to and
/// including message <see cref="ThroughId"/>. <see cref="Messages"/> is how many messages it replaced in the history it was
/// made from (an earlier summary it folded in not counted), <see cref="TokensBefore"/> and <see cref="TokensAfter"/> what
/// the request took before and after it; <see cref="Truncated"/>: the summary was cut to fit (older content lost).</summary>
public sealed record ConversationSummary(long ThroughId, string Text, int Messages, int TokensBefore, int TokensAfter, bool Truncated);
