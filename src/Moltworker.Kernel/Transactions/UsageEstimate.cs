using Microsoft.Extensions.AI;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Transactions;

/// <summary>
/// A model call's tokens when the provider's response carries no usage (some OpenAI-compatible servers send none, or
/// none while streaming): counted with the same <see cref="TokenCounter"/> that measures every request before it is
/// sent, so usage and cost estimates agree with what the history window saw. The request: its messages, the tools
/// offered and the reply priming; the answer: its messages as they will be sent back. What the provider reports always
/// wins; an estimate is marked as one in the transaction's arguments (<c>"usage":"estimated"</c>).
/// </summary>
public sealed class UsageEstimate(TokenCounter counter)
{
    /// <summary>Input and output tokens: the provider's where it gave them, else counted. <c>Estimated</c> when either was.</summary>
    public (long Input, long Output, bool Estimated) Of(ModelInfo model, IList<ChatMessage> request, ChatOptions? options, ChatResponse response)
    {
        var usage = response.Usage;
        var input = usage?.InputTokenCount;
        var output = usage?.OutputTokenCount;
        var estimated = input is null || output is null;
        input ??= counter.CountRequest(model, request, options);
        output ??= response.Messages.Sum(m => (long)counter.CountMessage(model, m));
        return (input.Value, output.Value, estimated);
    }
}
