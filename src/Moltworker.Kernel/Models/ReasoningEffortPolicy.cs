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
}
