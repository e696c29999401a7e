namespace Moltworker.Kernel.Options;

/// <summary><c>Moltworker:Agent</c>: limits of one turn.</summary>
public sealed class AgentOptions
{
    /// <summary>The agent (prompts/agents/&lt;name&gt;.md) chats run with.</summary>
    public string Name { get; set; } = "default";

    /// <summary>Model calls per phase before the turn stops.</summary>
    public int MaxIterations { get; set; } = 12;
    /// <summary>Tool calls per turn; further calls are answered "skipped".</summary>
    public int MaxToolCallsPerTurn { get; set; } = 32;
    /// <summary>Model responses in a row whose tool calls all failed before the turn ends.</summary>
    public int MaxConsecutiveErrors { get; set; } = 3;

    /// <summary>Tool results longer than this many characters are truncated with a note.</summary>
    public int MaxResultChars { get; set; } = 16_000;

    /// <summary>At most this many earlier messages of the conversation go to the model; fewer when they do not fit its
    /// context window (see docs/context.md).</summary>
    public int HistoryMessages { get; set; } = 40;
}
