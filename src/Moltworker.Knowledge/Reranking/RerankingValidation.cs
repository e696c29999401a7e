using Microsoft.Extensions.Options;
using Moltworker.Knowledge.Options;

namespace Moltworker.Knowledge.Reranking;

/// <summary>Checks <c>Moltworker:Knowledge:Reranking</c> at start.</summary>
public sealed class RerankingValidation : IValidateOptions<KnowledgeOptions>
{
    public ValidateOptionsResult Validate(string? name, KnowledgeOptions options)
    {
        var failures = options.Reranking.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
