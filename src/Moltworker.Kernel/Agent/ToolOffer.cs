using Microsoft.Extensions.AI;
using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Agent;

/// <summary>Which tools the model is offered for a turn (its agent's, <see cref="AgentTools"/>), and the request options
/// that go with them.</summary>
public sealed class ToolOffer(AgentTools tools)
{
    public const string TaskIdKey = "moltworker.task";

    public ChatOptions OptionsFor(TurnContext turn)
    {
        var options = new ChatOptions
        {
            ModelId = turn.Model.Id,
            AdditionalProperties = new AdditionalPropertiesDictionary { [TaskIdKey] = turn.TaskId },
        };
        if (turn.Model.Tools && turn.OffersTools)
        {
            options.Tools = [.. tools.For(turn).Values];
            if (options.Tools.Count == 0) options.Tools = null;
            else options.AllowMultipleToolCalls = turn.Model.ParallelCalls;
        }
        return options;
    }

    public ChatOptions WithoutTools(ChatOptions options)
    {
        var clone = options.Clone();
        clone.Tools = null;
        clone.AllowMultipleToolCalls = null;
        return clone;
    }
}
