using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Models;

/// <summary>
/// Fallback models and the error taxonomy. Transient HTTP faults are retried below this client, on the model's named
/// HttpClient (Microsoft.Extensions.Http.Resilience, <see cref="ModelClientServiceCollectionExtensions"/>); what still
/// fails transiently here (429, 5xx, timeouts after the retries, or a <c>Retry-After</c> beyond
/// <see cref="LlmOptions.RetryMaxDelay"/>, which is not waited for) moves on to the catalog's next fallback model.
/// Each candidate model gets its own reasoning effort (<see cref="ReasoningEffortPolicy"/>). A stream is given up on
/// only before its first update. Callers see only <see cref="ModelConfigurationException"/> (401/403/404),
/// <see cref="ModelUnavailableException"/> (gave up, a request the endpoint rejects, a stream that broke off) or
/// cancellation.
/// </summary>
public sealed partial class ResilientChatClient(IChatClient inner, LlmOptions options, ModelCatalog catalog, ILogger<ResilientChatClient> logger)
    : DelegatingChatClient(inner)
{
    private readonly string _primary = options.Model ?? "";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        ModelFailure? last = null;
        foreach (var (model, first) in Candidates(chatOptions))
        {
            try
            {
                return await base.GetResponseAsync(list, WithModel(chatOptions, model, first), cancellationToken);
            }
            catch (Exception ex) when (ModelFailure.Of(ex, options.ApiKey, cancellationToken) is { } failure)
            {
                last = GiveUpOrFallBack(model, failure);
            }
        }
        throw Exhausted(last);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        ModelFailure? last = null;
        foreach (var (model, first) in Candidates(chatOptions))
        {
            var stream = base.GetStreamingResponseAsync(list, WithModel(chatOptions, model, first), cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool any;
            try
            {
                any = await stream.MoveNextAsync();
            }
            catch (Exception ex) when (ModelFailure.Of(ex, options.ApiKey, cancellationToken) is { } failure)
            {
                await stream.DisposeAsync();
                last = GiveUpOrFallBack(model, failure);
                continue;
            }
            await using (stream)
            {
                if (!any) yield break;
                while (true)
                {
                    yield return stream.Current;
                    bool more;
                    try { more = await stream.MoveNextAsync(); }
                    catch (Exception ex) when (ModelFailure.Of(ex, options.ApiKey, cancellationToken) is { } failure)
                    {
                        throw new ModelUnavailableException($"The model's answer broke off: {failure.Message}", failure.Cause);
                    }
                    if (!more) break;
                }
            }
            yield break;
        }
        throw Exhausted(last);
    }

    /// <summary>Throws for a failure no other model can fix; returns a transient one so the next fallback is tried.</summary>
    private ModelFailure GiveUpOrFallBack(string model, ModelFailure failure)
    {
        switch (failure.Kind)
        {
            case ModelFailureKind.Configuration: throw new ModelConfigurationException(failure.Message, failure.Cause);
            case ModelFailureKind.Rejected: throw new ModelUnavailableException($"The model endpoint rejected the request: {failure.Message}", failure.Cause);
            default:
                LogFallback(model, failure.Message);
                return failure;
        }
    }

    private static ModelUnavailableException Exhausted(ModelFailure? last) =>
        new($"The model is unavailable after retries and fallbacks: {last?.Message}", last?.Cause);

    /// <summary>The model asked for (or the configured one), then its fallbacks.</summary>
    private IEnumerable<(string Model, bool First)> Candidates(ChatOptions? chatOptions)
    {
        var first = chatOptions?.ModelId ?? _primary;
        if (string.IsNullOrWhiteSpace(first)) throw new ModelConfigurationException("No model is configured (Moltworker:Llm:Model).");
        yield return (first, true);
        foreach (var fallback in catalog.Get(first).Fallbacks) yield return (fallback, false);
    }

    /// <summary>The options for one candidate model. The first keeps a reasoning effort the caller set
    /// (<see cref="ChatOptions.Reasoning"/>); otherwise, and for every fallback, the effort the model takes itself
    /// (often none: a model that takes none rejects the parameter).</summary>
    private ChatOptions WithModel(ChatOptions? chatOptions, string model, bool first)
    {
        var clone = chatOptions?.Clone() ?? new ChatOptions();
        clone.ModelId = model;
        if (!first || clone.Reasoning is null) ReasoningEffortPolicy.Apply(clone, ReasoningEffortPolicy.For(catalog, model, options.ReasoningEffort));
        return clone;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} gave up ({Error}); trying the next fallback if any")]
    private partial void LogFallback(string model, string error);
}
