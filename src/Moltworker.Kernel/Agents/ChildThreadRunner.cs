using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Abstractions;
using Moltworker.Kernel.Agent;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Prompts;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Kernel.Agents;

/// <summary>
/// Runs one delegation: checks the limits (no cycle, not deeper than the maximum depth), then runs the target agent's
/// phases in a child thread whose history is the target's system prompt and the delegation message (with the context
/// given) and nothing else. The child has its own tools, phases, budgets and usage, shares its task's tool-call budget,
/// and stops when its caller's call is cancelled. Its final answer is the result; a child that fails gives an error
/// result. The parent's history never sees the child's messages.
/// </summary>
public sealed class ChildThreadRunner(
    AgentRegistry registry,
    PromptLibrary prompts,
    PhaseRunner phases,
    ModelCatalog models,
    IEventBus events,
    IOptionsMonitor<AgentsOptions> options)
{
    public async Task<string> AskAsync(AgentDefinition target, string message, string? context, CancellationToken cancellationToken)
    {
        var parent = AgentThread.CurrentTurn ?? throw new ToolException($"{target.FunctionName} can only be called by an agent, not by a command.");
        var callId = CurrentToolContext.Value?.CallId ?? "";
        var chain = AgentThread.ChainOf(parent);
        var path = string.Join(" → ", chain.Append(target.Name));
        if (chain.Contains(target.Name, StringComparer.Ordinal))
            throw new ToolException($"Refused: asking '{target.Name}' would make a cycle ({path}). Answer with what you have, or ask another agent.");
        var maxDepth = registry.Get(chain[0]).MaxDepth ?? options.CurrentValue.MaxDepth;
        if (chain.Count > maxDepth)
            throw new ToolException($"Refused: asking '{target.Name}' would be delegation {chain.Count} deep ({path}); the limit is {maxDepth}. Answer with what you have.");
        if (!registry.Get(parent.Agent).MayAsk(target.Name))
            throw new ToolException($"Refused: agent '{parent.Agent}' may not ask '{target.Name}' (its delegates_to does not name it).");

        var threadId = $"{parent.Thread?.Id ?? parent.TaskId}/{parent.Step}.{callId}";
        var child = new TurnContext
        {
            TaskId = parent.TaskId,
            Address = parent.Address,
            History = [new ChatMessage(ChatRole.System, prompts.SystemPrompt(target)), new ChatMessage(ChatRole.User, Brief(message, context))],
            TurnStart = 1,
            Model = target.Model is { } model ? models.Get(model) : parent.Model,
            Agent = target.Name,
            CancellationToken = cancellationToken,
            Thread = new AgentThread(threadId, [.. chain, target.Name], parent, callId),
            TaskCalls = parent.TaskCalls,
        };
        events.Publish(new DelegationStarted(parent.TaskId, parent.Address, target.Name, parent.Agent, threadId, callId));
        try
        {
            await phases.RunAsync(child, target);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is ModelConfigurationException or ModelUnavailableException or TaskStoppedException or PhaseBudgetExceededException)
        {
            throw new ToolException($"Agent '{target.Name}' did not finish: {ex.Message}");
        }
        finally
        {
            lock (parent.Usage) parent.Usage.Add(child.Usage);
            events.Publish(new DelegationCompleted(parent.TaskId, parent.Address, target.Name, parent.Agent, threadId, callId));
        }
        return child.FinalText is { Length: > 0 } answer ? answer : $"Agent '{target.Name}' finished without an answer.";
    }

    /// <summary>The child's one user message: the delegation message, then the context it was given.</summary>
    private static string Brief(string message, string? context) =>
        string.IsNullOrWhiteSpace(context) ? message : $"{message}\n\nContext:\n{context}";
}
