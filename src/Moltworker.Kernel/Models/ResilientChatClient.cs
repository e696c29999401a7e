using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Http;
using Moltworker.Kernel.Options;
using Polly;

namespace Moltworker.Kernel.Models;

/// <summary>
/// Retries transient model failures (429, 5xx, timeouts) with exponential backoff that honours Retry-After,
/// then moves on to the catalog's fallback models. A Retry-After longer than <see cref="LlmOptions.RetryMaxDelay"/>
/// moves on at once. Streaming is retried only before its first update. Callers see only
/// <see cref="ModelConfigurationException"/> (401/403/404), <see cref="ModelUnavailableException"/> (gave up, a request
/// the endpoint rejects, a stream that broke off) or cancellation.
/// </summary>
public sealed partial class ResilientChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline _pipeline;
    private readonly ModelCatalog _catalog;
    private readonly string _primary;
    private readonly string? _reasoningEffort;
    private readonly ILogger _logger;

    public ResilientChatClient(IChatClient inner, LlmOptions options, ModelCatalog catalog, TimeProvider time, ILogger<ResilientChatClient> logger) : base(inner)
    {
        _catalog = catalog;
        _primary = options.Model ?? "";
        _reasoningEffort = options.ReasoningEffort;
        _logger = logger;
        // A Retry-After beyond RetryMaxDelay is not waited for: the next fallback model is tried at once.
        _pipeline = HttpRetryPipeline.Build<ModelHttpException>(options.MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay, time,
            (attempt, delay, error) => LogRetry(error.Message, attempt, delay), longestWait: options.RetryMaxDelay);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        ModelHttpException? last = null;
        foreach (var model in Candidates(options))
        {
            var attemptOptions = WithModel(options, model);
            try
            {
                return await _pipeline.ExecuteAsync(
                    async ct => await base.GetResponseAsync(list, attemptOptions, ct), cancellationToken);
            }
            catch (ModelHttpException ex) when (ex.Transient)
            {
                last = ex;
                LogFallback(model, ex.Message);
            }
            catch (ModelHttpException ex)
            {
                throw Rejected(ex);
            }
        }
        throw new ModelUnavailableException($"The model is unavailable after retries and fallbacks: {last?.Message}", last);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        ModelHttpException? last = null;
        foreach (var model in Candidates(options))
        {
            var attemptOptions = WithModel(options, model);
            IAsyncEnumerator<ChatResponseUpdate>? stream = null;
            try
            {
                // Retry until the first update arrives; after that, a failure ends the stream.
                stream = await _pipeline.ExecuteAsync(async ct =>
                {
                    var e = base.GetStreamingResponseAsync(list, attemptOptions, ct).GetAsyncEnumerator(ct);
                    try
                    {
                        return await e.MoveNextAsync() ? e : null;
                    }
                    catch { await e.DisposeAsync(); throw; }
                }, cancellationToken);
            }
            catch (ModelHttpException ex) when (ex.Transient)
            {
                last = ex;
                LogFallback(model, ex.Message);
                continue;
            }
            catch (ModelHttpException ex)
            {
                throw Rejected(ex);
            }
            if (stream is null) yield break;
            await using (stream)
            {
                while (true)
                {
                    yield return stream.Current;
                    bool more;
                    try { more = await stream.MoveNextAsync(); }
                    catch (ModelHttpException ex) { throw new ModelUnavailableException($"The model's answer broke off: {ex.Message}", ex); }
                    if (!more) break;
                }
            }
            yield break;
        }
        throw new ModelUnavailableException($"The model is unavailable after retries and fallbacks: {last?.Message}", last);
    }

    private static ModelUnavailableException Rejected(ModelHttpException ex) =>
        new($"The model endpoint rejected the request: {ex.Message}", ex);

    private IEnumerable<string> Candidates(ChatOptions? options)
    {
        var first = options?.ModelId ?? _primary;
        yield return first;
        foreach (var fallback in _catalog.Get(first).Fallbacks) yield return fallback;
    }

    /// <summary>The options for one candidate model. The first keeps a reasoning effort the caller asked for; a fallback
    /// gets the effort it takes itself (often none: a model that takes none rejects the parameter).</summary>
    private ChatOptions WithModel(ChatOptions? options, string model)
    {
        var clone = options?.Clone() ?? new ChatOptions();
        var first = clone.ModelId is null || string.Equals(clone.ModelId, model, StringComparison.OrdinalIgnoreCase);
        clone.ModelId = model;
        if (!first || clone.AdditionalProperties?.ContainsKey(OpenAIMessageMapper.ReasoningEffortKey) != true)
            (clone.AdditionalProperties ??= [])[OpenAIMessageMapper.ReasoningEffortKey] = ReasoningEffortPolicy.For(_catalog, model, _reasoningEffort);
        return clone;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model call failed ({Error}); retry {Attempt} in {Delay}")]
    private partial void LogRetry(string error, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} gave up ({Error}); trying the next fallback if any")]
    private partial void LogFallback(string model, string error);
}
