using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Abstractions;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// <c>ask_&lt;agent&gt;</c>: the tool through which one agent asks another. It is an ordinary function on offer, so
/// the call passes the same gate, filters, journal and events as any tool; running it starts a child thread
/// (<see cref="ChildThreadRunner"/>) and its result is the child's final answer. Its declarations come from the target
/// agent's tools: parallel-safe when every one of them is, side-effecting when any one is; idempotent when threads are
/// durable (a call that runs again meets its thread: <see cref="ChildThreadRecords"/>).
/// </summary>
public sealed class DelegationFunction : AIFunction
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{
          "message":{"type":"string","description":"What the agent should do or answer; it sees nothing else of this conversation"},
          "context":{"type":"string","description":"Optional facts from this conversation the agent needs"}},
         "required":["message"]}
        """).RootElement.Clone();

    private readonly Func<ChildThreadRunner> _runner;
    private readonly Dictionary<string, object?> _properties;

    public DelegationFunction(AgentDefinition target, ToolMetadata metadata, Func<ChildThreadRunner> runner)
    {
        Target = target;
        _runner = runner;
        _properties = new() { [ToolMetadata.Key] = metadata };
    }

    public AgentDefinition Target { get; }
    public override string Name => Target.FunctionName;
    public override string Description =>
        $"Ask the agent '{Target.Name}' ({(Target.Description.Length > 0 ? Target.Description : "no description")}). It works in its own thread with its own tools and returns its final answer.";
    public override JsonElement JsonSchema => Schema;
    public override IReadOnlyDictionary<string, object?> AdditionalProperties => _properties;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var message = Text(arguments, "message");
        if (string.IsNullOrWhiteSpace(message)) throw new ToolException($"{Name} needs a non-empty 'message'.");
        return await _runner().AskAsync(Target, message, Text(arguments, "context"), cancellationToken);
    }

    private static string? Text(AIFunctionArguments arguments, string name) => arguments.TryGetValue(name, out var value) ? value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        JsonElement e => e.GetRawText(),
        _ => value.ToString(),
    } : null;
}
