using Moltworker.Kernel.Prompts;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// An agent, read from <c>prompts/agents/&lt;name&gt;.md</c>: the body is its system prompt, the front matter its
/// settings. <see cref="Tools"/> null offers every tool; <see cref="DelegatesTo"/> names the agents it may ask
/// (<c>*</c>: all others).
/// </summary>
public sealed record AgentDefinition(string Name, string Prompt, IReadOnlyList<string> Phases)
{
    public string Description { get; init; } = "";

    /// <summary>A catalog model id to run with instead of the configured one; null: the configured model.</summary>
    public string? Model { get; init; }

    /// <summary>Tool patterns (a tool or plugin name, <c>*</c> wildcards); null: every tool.</summary>
    public IReadOnlyList<string>? Tools { get; init; }

    public IReadOnlyList<string> DelegatesTo { get; init; } = [];

    /// <summary>How deep a chain of delegations started by this agent may go; null: <c>Moltworker:Agents:MaxDepth</c>.</summary>
    public int? MaxDepth { get; init; }

    /// <summary>The file it was read from (null for the built-in fallback).</summary>
    public PromptDocument? Document { get; init; }

    /// <summary>The name of the function other agents call it through.</summary>
    public string FunctionName => DelegationNames.FunctionFor(Name);

    /// <summary>The agent used when no file defines it: one work phase, the system prompt only.</summary>
    public static AgentDefinition Fallback(string name) => new(name, "", ["work"]) { Description = "The system prompt alone, one work phase." };

    public bool MayAsk(string target) =>
        !string.Equals(target, Name, StringComparison.Ordinal) && DelegatesTo.Any(d => d == "*" || string.Equals(d, target, StringComparison.Ordinal));
}

/// <summary>How agent names map to function names.</summary>
public static class DelegationNames
{
    public const string Prefix = "ask_";

    public static string FunctionFor(string agent) => Prefix + new string(agent.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray());
}
