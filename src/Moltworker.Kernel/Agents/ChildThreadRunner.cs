using System.Collections.Concurrent;
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
/// result. The parent's history never sees the child's messages. The thread's id comes from its parent's id, step and
/// call, so a call that runs again (after a crash, a restart or a retry) meets the same thread: with a thread store
/// (<see cref="ChildThreadRecords"/>) an ended thread is read back and an interrupted one resumes from its checkpoint;
/// two runs of one thread never overlap in this process.
/// </summary>
public sealed class ChildThreadRunner(
    AgentRegistry registry,
    PromptLibrary prompts,
    PhaseRunner phases,
    ModelCatalog models,
    ChildThreadRecords records,
    IEventBus events,
    TimeProvider time,
    IOptionsMonitor<AgentsOptions> options)
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

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
        var run = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // An earlier attempt of this call (stopped by its timeout and retried) may still be winding down.
        while (!_running.TryAdd(threadId, run.Task))
            if (_running.TryGetValue(threadId, out var earlier)) await earlier.WaitAsync(cancellationToken);
        try
        {
            var stored = await records.FindAsync(threadId);
            if (stored is { HasEnded: true }) return ReadBack(parent, target, stored);
            return await RunAsync(parent, target, new AgentThread(threadId, [.. chain, target.Name], parent, callId, time.GetUtcNow()), Brief(message, context), stored, cancellationToken);
        }
        finally
        {
            _running.TryRemove(threadId, out _);
            run.TrySetResult();
        }
    }

    /// <summary>A thread that ended before: its stored answer (or error) and usage, without running it again.</summary>
    private static string ReadBack(TurnContext parent, AgentDefinition target, TaskThread stored)
    {
        lock (parent.Usage) parent.Usage.Add(ChildThreadRecords.UsageOf(stored));
        if (stored.Status == TaskThreadStatus.Failed) throw new ToolException($"Agent '{target.Name}' did not finish: {stored.Error}");
        return stored.Answer ?? "";
    }

    private async Task<string> RunAsync(TurnContext parent, AgentDefinition target, AgentThread thread, string brief, TaskThread? interrupted,
        CancellationToken cancellationToken)
    {
        var child = new TurnContext
        {
            TaskId = parent.TaskId,
            Address = parent.Address,
            History = [new ChatMessage(ChatRole.System, prompts.SystemPrompt(target)), new ChatMessage(ChatRole.User, brief)],
            TurnStart = 1,
            Model = target.Model is { } model ? models.Get(model) : parent.Model,
            Agent = target.Name,
            CancellationToken = cancellationToken,
            Thread = thread,
            TaskCalls = parent.TaskCalls,
        };
        var (firstPhase, inPhase) = await records.ResumeAsync(child, interrupted);
        events.Publish(new DelegationStarted(parent.TaskId, parent.Address, target.Name, parent.Agent, thread.Id, thread.ToolCallId));
        string answer;
        try
        {
            await phases.RunAsync(child, target, firstPhase, inPhase);
            answer = child.FinalText is { Length: > 0 } text ? text : $"Agent '{target.Name}' finished without an answer.";
            await records.CompletedAsync(child, answer);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is ModelConfigurationException or ModelUnavailableException or TaskStoppedException or PhaseBudgetExceededException)
        {
            // Includes a resumed child that met a call in doubt: it ends with the question, and its parent's model reads it.
            await records.FailedAsync(child, ex.Message);
            throw new ToolException($"Agent '{target.Name}' did not finish: {ex.Message}");
        }
        finally
        {
            lock (parent.Usage) parent.Usage.Add(child.Usage);
            events.Publish(new DelegationCompleted(parent.TaskId, parent.Address, target.Name, parent.Agent, thread.Id, thread.ToolCallId));
        }
        return answer;
    }

    /// <summary>The child's one user message: the delegation message, then the context it was given.</summary>
    private static string Brief(string message, string? context) =>
        string.IsNullOrWhiteSpace(context) ? message : $"{message}\n\nContext:\n{context}";
}
