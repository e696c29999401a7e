using Microsoft.Extensions.Options;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Context;

/// <summary>How many tokens a request to a model may take: the model's context window (the catalog's
/// <c>contextWindow</c>, else <c>Moltworker:Context:DefaultContextWindow</c>) minus the reserve for the answer
/// (<c>Moltworker:Context:AnswerReserveTokens</c>, at most half the window).</summary>
public sealed class ContextBudget(IOptions<ContextOptions> options)
{
    /// <summary>The model's whole context window in tokens.</summary>
    public int WindowOf(ModelInfo model) => model.ContextWindow ?? options.Value.DefaultContextWindow;

    /// <summary>The tokens a request may take, leaving the reserve for the answer.</summary>
    public int RequestBudget(ModelInfo model)
    {
        var window = WindowOf(model);
        return window - Math.Min(options.Value.AnswerReserveTokens, window / 2);
    }
}
