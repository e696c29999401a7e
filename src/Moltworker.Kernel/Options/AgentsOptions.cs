namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Agents</c>: limits of delegation between agents (see docs/agents.md).</summary>
public sealed class AgentsOptions
{
    /// <summary>How deep a chain of delegations may go (the asking agent is depth 0) unless the first agent's
    /// <c>max_depth</c> says otherwise.</summary>
    public int MaxDepth { get; set; } = 3;

    /// <summary>Tool calls of one task across all its threads (the agent's and every delegated one); further calls
    /// are answered "skipped".</summary>
    public int MaxToolCallsPerTask { get; set; } = 100;

    /// <summary>How long one delegation (an <c>ask_&lt;agent&gt;</c> call with everything its thread does) may take
    /// before its caller gets a timeout result.</summary>
    public TimeSpan DelegationTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
