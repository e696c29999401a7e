using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Moltworker.Kernel.Models;

/// <summary>
/// Which reasoning effort a request to a model carries: for a model the catalog gives an effort, the configured
/// <c>Moltworker:Llm:ReasoningEffort</c> or else the catalog's; for a model the catalog lists without one, none
/// (such models reject the parameter); for a model the catalog does not know, the configured effort if any.
/// </summary>
internal static class ReasoningEffortPolicy
{
    public static string? For(ModelCatalog? catalog, string model, string? configured)
    {
        if (catalog is null || !catalog.TryGet(model, out var info)) return configured;
        return info.ReasoningEffort is null ? null : configured ?? info.ReasoningEffort;
    }

    /// <summary>Puts <paramref name="effort"/> on the request the library way, <see cref="ChatOptions.Reasoning"/>; an
    /// effort M.E.AI has no value for (e.g. <c>minimal</c>) goes on the OpenAI request itself
    /// (<see cref="ChatOptions.RawRepresentationFactory"/>). Null or empty: none is sent.</summary>
    public static void Apply(ChatOptions options, string? effort)
    {
        options.Reasoning = null;
        if (string.IsNullOrWhiteSpace(effort)) return;
        ReasoningEffort? known = effort.Trim().ToLowerInvariant() switch
        {
            "low" => ReasoningEffort.Low,
            "medium" => ReasoningEffort.Medium,
            "high" => ReasoningEffort.High,
            "xhigh" => ReasoningEffort.ExtraHigh,
            _ => null,
        };
        if (known is { } value) options.Reasoning = new ReasoningOptions { Effort = value };
        else
        {
            var level = new ChatReasoningEffortLevel(effort.Trim());
            options.RawRepresentationFactory = _ => new ChatCompletionOptions { ReasoningEffortLevel = level };
        }
    }
}
