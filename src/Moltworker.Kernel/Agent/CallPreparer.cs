using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Abstractions;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Agent;

/// <summary>
/// Resolves a model's tool call to a function and checks its arguments. A call that cannot run (unknown tool,
/// broken JSON, arguments that do not fit the schema, over the call limit) gets its error result right here,
/// so that it is still answered exactly once. A tool resolves among the turn's agent's tools (<see cref="AgentTools"/>).
/// </summary>
public sealed class CallPreparer(AgentTools agentTools)
{
    public CallContext Prepare(FunctionCallContent call, int index, TurnContext turn, string? skipReason = null)
    {
        var tools = agentTools.For(turn);
        var function = tools.GetValueOrDefault(call.Name);
        var arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        string? error = null;
        if (call.Exception is not null)
            error = $"the arguments of '{call.Name}' are not valid JSON ({call.Exception.Message}). Send a JSON object.";
        else
        {
            foreach (var (key, value) in call.Arguments ?? new Dictionary<string, object?>())
                arguments[key] = value is JsonElement e ? e : JsonSerializer.SerializeToElement(value, ToolJson.Options);
        }
        if (error is null && function is null)
            error = $"unknown tool '{call.Name}'. Valid tools: {string.Join(", ", tools.Keys.Order())}.";
        if (error is null && function is not null)
            error = ArgumentValidator.Validate(function.JsonSchema, arguments) is { } invalid ? $"invalid arguments for '{call.Name}': {invalid}" : null;

        var context = new CallContext
        {
            Call = call,
            Function = function,
            Index = index,
            Arguments = new AIFunctionArguments(arguments.ToDictionary(kv => kv.Key, kv => (object?)kv.Value)),
            Tool = ToolContextFor(turn, call.CallId),
            CancellationToken = turn.CancellationToken,
        };
        if (skipReason is not null) context.Result = ToolResult.Skipped(skipReason);
        else if (error is not null) context.Result = ToolResult.Error(error);
        return context;
    }

    public static ToolContext ToolContextFor(TurnContext turn, string callId, int attempt = 1) => new()
    {
        TaskId = turn.TaskId,
        CallId = callId,
        // A delegated thread's steps count from 0 again: its id keeps its keys apart from its parent's.
        IdempotencyKey = turn.Thread is { } thread ? $"{turn.TaskId}:{thread.Id}:{turn.Step}:{callId}" : $"{turn.TaskId}:{turn.Step}:{callId}",
        Attempt = attempt,
        Channel = turn.Address.Channel,
        ChatId = turn.Address.ChatId,
        UserId = turn.Address.UserId,
    };
}
