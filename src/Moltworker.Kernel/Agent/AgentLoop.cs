using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Agent;

/// <summary>
/// The agent loop of one phase: ask the model; if it calls tools, run them as a batch and ask again; stop at a
/// final answer or a limit. Everything around a call (gating, timeouts, retries, journal) is a filter. Every request is
/// measured before it is sent and carries as much of the conversation as fits the model's context window
/// (<see cref="HistoryWindow"/>), its older messages summarized first when it grew past the compaction threshold
/// (<see cref="TurnCompaction"/>).
/// </summary>
public sealed class AgentLoop(ModelAccess models, ToolOffer offer, BatchRunner batches, HistoryWindow window, TurnCompaction compaction, IOptions<AgentOptions> options,
    IOptionsMonitor<AgentsOptions> agentsOptions, IEventBus events)
{
    public async Task RunAsync(TurnContext turn)
    {
        var limits = options.Value;
        var chatOptions = offer.OptionsFor(turn);
        // A turn resumed mid-batch first answers the calls it already has (the journal supplies finished results).
        var calls = ToolMessages.Unanswered(turn.History);
        for (var iteration = 0; iteration < limits.MaxIterations; iteration++)
        {
            if (calls.Count == 0)
            {
                var response = await AskModelAsync(turn, chatOptions);
                turn.History.AddRange(response.Messages);
                calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
                if (calls.Count == 0)
                {
                    turn.FinalText = response.Text;
                    return;
                }
            }

            var allowed = Math.Max(0, limits.MaxToolCallsPerTurn - turn.ToolCalls);
            string? limit = null;
            // The task's budget is shared with its delegated threads (and theirs with it).
            var granted = turn.TaskCalls.Take(Math.Min(allowed, calls.Count), agentsOptions.CurrentValue.MaxToolCallsPerTask);
            if (granted < Math.Min(allowed, calls.Count))
            {
                allowed = granted;
                limit = "the tool call limit of this task, across its agents' threads, was reached (Moltworker:Agents:MaxToolCallsPerTask)";
            }
            var results = await batches.RunAsync(turn, calls, "model", allowed, limit: limit);
            turn.ToolCalls += Math.Min(allowed, calls.Count);
            turn.History.AddRange(ToolMessages.For(results, turn.Model.Images));
            calls = [];
            if (results.Count > 0 && results[0].Batch?.TerminatedBy is { } terminated)
            {
                turn.FinalText = terminated.Result!.Content; // SK's Terminate: the function's result is the answer
                return;
            }

            if (CountErrors(turn, results) >= limits.MaxConsecutiveErrors)
            {
                turn.FinalText = $"I stopped: my tool calls failed {turn.ConsecutiveErrors} times in a row. The last error was: {results.Last(r => r.Result!.IsError).Result!.Content}";
                return;
            }
            if (turn.ToolCalls >= limits.MaxToolCallsPerTurn || limit is not null) chatOptions = offer.WithoutTools(chatOptions);
        }
        turn.FinalText = $"I stopped after {limits.MaxIterations} model calls without reaching a final answer (Moltworker:Agent:MaxIterations).";
    }

    private async Task<ChatResponse> AskModelAsync(TurnContext turn, ChatOptions chatOptions)
    {
        var client = models.Client ?? throw new ModelConfigurationException(ModelAccess.HowToConfigure);
        turn.Step++;
        events.Publish(new PoStateChanged(turn.TaskId, turn.Address, PoStatus.Thinking));
        var request = window.Fit(turn, chatOptions);
        if (await compaction.TryAsync(turn, request, chatOptions)) request = window.Fit(turn, chatOptions);
        var messages = request.Messages;
        ChatResponse response;
        if (turn.OnTextDelta is null)
            response = await client.GetResponseAsync(messages, chatOptions, turn.CancellationToken);
        else
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(messages, chatOptions, turn.CancellationToken))
            {
                updates.Add(update);
                if (!string.IsNullOrEmpty(update.Text)) await turn.OnTextDelta(update.Text);
            }
            response = updates.ToChatResponse();
        }
        if (response.Usage is { } usage) turn.Usage.Add(usage);
        return response;
    }

    private static int CountErrors(TurnContext turn, IReadOnlyList<CallContext> results)
    {
        // A batch whose calls all failed counts once: the model had no chance to react in between.
        var allFailed = results.All(r => r.Result!.Status is ToolStatus.Error or ToolStatus.Timeout);
        turn.ConsecutiveErrors = allFailed ? turn.ConsecutiveErrors + 1 : 0;
        return turn.ConsecutiveErrors;
    }
}
