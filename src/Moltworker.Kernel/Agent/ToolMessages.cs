using Microsoft.Extensions.AI;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Agent;

/// <summary>The tool message answering a batch, and the calls of a history that are still unanswered.</summary>
public static class ToolMessages
{
    public static ChatMessage For(IEnumerable<CallContext> calls) =>
        new(ChatRole.Tool, calls.Select(c => (AIContent)new FunctionResultContent(c.Call.CallId, c.Result!.Content)).ToList());

    /// <summary>The calls of the last assistant message when nothing answered them yet (a turn resumed mid-batch).</summary>
    public static List<FunctionCallContent> Unanswered(IReadOnlyList<ChatMessage> history)
    {
        if (history.Count == 0 || history[^1].Role != ChatRole.Assistant) return [];
        return history[^1].Contents.OfType<FunctionCallContent>().ToList();
    }
}
