using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Http;
using Moltworker.Kernel.Options;
using OpenAI;
using OpenAI.Chat;
using AI = Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Models;

/// <summary>
/// An <see cref="IChatClient"/> over any OpenAI-compatible chat completions endpoint, through the OpenAI SDK.
/// The SDK's own retries are off: retries, Retry-After and fallbacks belong to <see cref="ResilientChatClient"/>.
/// Failures surface as <see cref="ModelHttpException"/> or <see cref="ModelConfigurationException"/>.
/// </summary>
public sealed class OpenAIChatClient : IChatClient
{
    private readonly LlmOptions _options;
    private readonly OpenAIClient _client;
    private readonly ConcurrentDictionary<string, ChatClient> _chatClients = new(StringComparer.Ordinal);
    private readonly ChatClientMetadata _metadata;

    private readonly ModelCatalog? _catalog;
    private readonly TimeProvider _time;

    /// <param name="catalog">Says which models take a reasoning effort; without it the configured effort is always sent.</param>
    public OpenAIChatClient(LlmOptions options, HttpClient httpClient, ModelCatalog? catalog = null, TimeProvider? time = null)
    {
        _options = options;
        _catalog = catalog;
        _time = time ?? TimeProvider.System;
        var clientOptions = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(httpClient),
            NetworkTimeout = options.RequestTimeout,
        };
        if (!string.IsNullOrWhiteSpace(options.BaseUrl)) clientOptions.Endpoint = new Uri(options.BaseUrl);
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "unused" : options.ApiKey;
        _client = new OpenAIClient(new ApiKeyCredential(key), clientOptions);
        _metadata = new ChatClientMetadata("openai-compatible", clientOptions.Endpoint, options.Model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (client, oaMessages, oaOptions) = Prepare(messages, options);
        try
        {
            var result = await client.CompleteChatAsync(oaMessages, oaOptions, cancellationToken);
            return OpenAIMessageMapper.FromOpenAI(result.Value);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated) { throw translated; }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AI.ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (client, oaMessages, oaOptions) = Prepare(messages, options);
        var calls = new ToolCallAssembler();
        UsageDetails? usage = null;
        string? model = null;
        OpenAI.Chat.ChatFinishReason? finish = null;
        await using var stream = client.CompleteChatStreamingAsync(oaMessages, oaOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            StreamingChatCompletionUpdate update;
            try
            {
                if (!await stream.MoveNextAsync()) break;
                update = stream.Current;
            }
            catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated) { throw translated; }

            model ??= update.Model;
            finish = update.FinishReason ?? finish;
            usage = OpenAIMessageMapper.ToUsage(update.Usage) ?? usage;
            foreach (var part in update.ContentUpdate)
                if (!string.IsNullOrEmpty(part.Text))
                    yield return new ChatResponseUpdate(ChatRole.Assistant, part.Text) { ModelId = update.Model };
            foreach (var delta in update.ToolCallUpdates) calls.Add(delta);
        }
        // Tool calls are delivered whole, with the usage and the finish reason, in one last update.
        var tail = new List<AIContent>(calls.Complete());
        if (usage is not null) tail.Add(new UsageContent(usage));
        yield return new ChatResponseUpdate(ChatRole.Assistant, tail)
        {
            ModelId = model,
            FinishReason = calls.Count > 0 ? AI.ChatFinishReason.ToolCalls : OpenAIMessageMapper.ToFinishReason(finish),
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata :
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }

    private (ChatClient, List<OpenAI.Chat.ChatMessage>, ChatCompletionOptions) Prepare(IEnumerable<AI.ChatMessage> messages, ChatOptions? options)
    {
        var model = options?.ModelId ?? _options.Model ?? throw new ModelConfigurationException("No model is configured (Moltworker:Llm:Model).");
        var client = _chatClients.GetOrAdd(model, m => _client.GetChatClient(m));
        return (client, OpenAIMessageMapper.ToOpenAI(messages), OpenAIMessageMapper.ToOpenAI(options, ReasoningEffort(model, options)));
    }

    /// <summary>Per request (<c>reasoning_effort</c> in AdditionalProperties, null meaning none) first, else <see cref="ReasoningEffortPolicy"/>.</summary>
    private string? ReasoningEffort(string model, ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(OpenAIMessageMapper.ReasoningEffortKey, out var requested) == true
            ? requested as string
            : ReasoningEffortPolicy.For(_catalog, model, _options.ReasoningEffort);

    /// <summary>The SDK's HTTP errors are not kept as inner exceptions: their message quotes the whole response body,
    /// which may echo the key; <see cref="Detail"/> gives the masked essentials instead.</summary>
    private Exception? Translate(Exception ex, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case ClientResultException { Status: 401 or 403 } cre:
                return new ModelConfigurationException(
                    $"The model endpoint refused the request ({cre.Status}): check Moltworker:Llm:ApiKey and Moltworker:Llm:BaseUrl. {Detail(cre)}");
            case ClientResultException { Status: 404 } cre:
                return new ModelConfigurationException($"The model endpoint answered 404: check Moltworker:Llm:Model and Moltworker:Llm:BaseUrl. {Detail(cre)}");
            case ClientResultException cre:
                return new ModelHttpException(cre.Status, $"The model endpoint answered {cre.Status}. {Detail(cre)}", RetryAfter(cre));
            default:
                return HttpFailure.FromException(ex, cancellationToken)?.Kind switch
                {
                    HttpFailureKind.Timeout => new ModelHttpException(0, "The model endpoint timed out.", null, ex),
                    HttpFailureKind.Unreachable => new ModelHttpException(0, $"The model endpoint is unreachable: {ex.Message}", null, ex),
                    _ => null,
                };
        }
    }

    /// <summary>The endpoint's own words: <c>error.message</c> (and <c>code</c>) of an OpenAI-style body, else the body, shortened.</summary>
    private string Detail(ClientResultException ex)
    {
        var body = ex.GetRawResponse()?.Content?.ToString() ?? "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            {
                var message = error.ValueKind == JsonValueKind.String ? error.GetString()
                    : error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : null;
                var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                if (!string.IsNullOrWhiteSpace(message)) body = code is null ? message : $"{message} ({code})";
            }
        }
        catch (JsonException) { }
        // Some endpoints echo the key they refused; it must not reach logs or users.
        if (_options.ApiKey is { Length: > 0 } key) body = body.Replace(key, "***", StringComparison.Ordinal);
        return body.Length > 300 ? body[..300] + "…" : body;
    }

    /// <summary>OpenAI's <c>retry-after-ms</c> first, else the standard <c>Retry-After</c> (<see cref="HttpFailure"/>).</summary>
    private TimeSpan? RetryAfter(ClientResultException ex)
    {
        var headers = ex.GetRawResponse()?.Headers;
        if (headers is null) return null;
        if (headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, System.Globalization.CultureInfo.InvariantCulture, out var millis))
            return TimeSpan.FromMilliseconds(millis);
        return headers.TryGetValue("Retry-After", out var value) ? HttpFailure.ParseRetryAfter(value, _time) : null;
    }
}
