using Microsoft.Extensions.AI;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Prompts;

namespace Moltworker.Kernel.Agent;

/// <summary>Runs a turn's phases (plan → work → review, or just work) in order, each through the turn filters.</summary>
public sealed class PhaseRunner
{
    private readonly Func<TurnContext, Task> _pipeline;
    private readonly PromptLibrary _prompts;
    private readonly IEventBus _events;

    public PhaseRunner(AgentLoop loop, IEnumerable<ITurnFilter> filters, PromptLibrary prompts, IEventBus events)
    {
        _pipeline = FilterPipeline.Build<ITurnFilter, TurnContext>(FilterOrder.Sort(filters, FilterOrder.Turn), static (f, c, n) => f.OnTurnAsync(c, n), loop.RunAsync);
        _prompts = prompts;
        _events = events;
    }

    /// <param name="resumeInPhase">The turn continues inside <paramref name="firstPhase"/> (its prompt is already in the history).</param>
    public async Task RunAsync(TurnContext turn, AgentDefinition agent, int firstPhase = 0, bool resumeInPhase = false)
    {
        AgentThread.Enter(turn); // a delegation function called in this turn knows who asks
        for (var i = firstPhase; i < agent.Phases.Count; i++)
        {
            var phase = agent.Phases[i];
            turn.Phase = phase;
            turn.PhaseIndex = i;
            if (agent.Phases.Count > 1 && _prompts.Get($"phases/{phase}") is { } prompt)
            {
                if (!(resumeInPhase && i == firstPhase)) turn.History.Add(new ChatMessage(ChatRole.System, prompt.Body));
                turn.OffersTools = prompt.FrontMatter.GetValueOrDefault("tools") is not (false or "false");
            }
            _events.Publish(new PhaseChanged(turn.TaskId, turn.Address, phase));
            await _pipeline(turn);
            _events.Publish(new PhaseCompleted(turn.TaskId, turn.Address, phase));
        }
    }
}
