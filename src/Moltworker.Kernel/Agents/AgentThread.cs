using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// Where a turn sits in its task's tree of threads: a delegated (child) thread has an id, the chain of agents that led
/// to it (the first is the task's own agent) and its parent turn. The turn whose phases run on this async flow is
/// <see cref="CurrentTurn"/>: a delegation function reads it to know who is asking.
/// </summary>
public sealed class AgentThread(string id, IReadOnlyList<string> chain, TurnContext parent, string toolCallId, DateTimeOffset startedAt)
{
    private static readonly AsyncLocal<TurnContext?> Current = new();

    public string Id { get; } = id;

    /// <summary>The agents from the task's own down to this thread's.</summary>
    public IReadOnlyList<string> Chain { get; } = chain;

    /// <summary>The turn that delegated.</summary>
    public TurnContext Parent { get; } = parent;

    /// <summary>The parent's call that started this thread.</summary>
    public string ToolCallId { get; } = toolCallId;

    /// <summary>When this run of the thread started (a resumed thread's stored row keeps its first start).</summary>
    public DateTimeOffset StartedAt { get; } = startedAt;

    /// <summary>Delegations from the task's own agent to this thread (1 for a direct child).</summary>
    public int Depth => Chain.Count - 1;

    /// <summary>The turn running its phases on this async flow (null outside a turn, e.g. a chat /command).</summary>
    public static TurnContext? CurrentTurn => Current.Value;

    /// <summary>Makes <paramref name="turn"/> current for the rest of the calling async method (and what it awaits).</summary>
    public static void Enter(TurnContext turn) => Current.Value = turn;

    /// <summary>The chain of agents of <paramref name="turn"/>: its thread's, or just its own agent for a task's root.</summary>
    public static IReadOnlyList<string> ChainOf(TurnContext turn) => turn.Thread?.Chain ?? [turn.Agent];
}
